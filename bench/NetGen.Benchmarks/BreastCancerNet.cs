namespace NetGen.Benchmarks;

/// <summary>nets.json's tabular classifier (30 features, 32 and 16 ReLU, 2 classes), for <c>FitBenchmarks</c>.</summary>
[Network("breast_cancer")]
public partial class BreastCancerNet;
