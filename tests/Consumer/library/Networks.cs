using NetGen;

namespace Sample.Networks;

/// <summary>The README's network.</summary>
[Network("tiny")]
public sealed partial class TinyNet;

/// <summary>Dropout, binary cross-entropy and SGD with Nesterov momentum.</summary>
[Network("wide")]
public sealed partial class WideNet;

/// <summary>Mean squared error and AdamW.</summary>
[Network("regression")]
public partial class RegressionNet;

/// <summary>Plain SGD.</summary>
[Network("plain")]
internal sealed partial class PlainNet;
