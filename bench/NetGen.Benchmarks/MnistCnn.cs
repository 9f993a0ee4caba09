namespace NetGen.Benchmarks;

/// <summary>The "mnist_cnn" network of the repository's nets.json, generated at build time; its kernels are internal, so
/// <see cref="Convolution.ConvKernelBenchmarks"/> calls them one by one.</summary>
[Network("mnist_cnn")]
public partial class MnistCnn;
