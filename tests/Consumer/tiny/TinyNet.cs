using NetGen;

[Network("tiny")]
internal sealed partial class TinyNet;
