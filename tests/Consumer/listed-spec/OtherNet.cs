using NetGen;

[Network("other")]
internal sealed partial class OtherNet;
