using NetGen;

namespace NetGen.Mnist;

/// <summary>The classic MNIST classifier; its layers come from the "mnist" network in nets.json.</summary>
[Network("mnist")]
public partial class MnistNet;
