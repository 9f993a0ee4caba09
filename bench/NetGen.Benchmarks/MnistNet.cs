namespace NetGen.Benchmarks;

/// <summary>The "mnist" network of the repository's nets.json (784-128-64-10 ReLU, cross-entropy, Adam, batch 32), generated at build time.</summary>
[Network("mnist")]
public partial class MnistNet;
