namespace NetGen.Generator.Tests;

/// <summary>Specs and C# declarations shared by the generator tests.</summary>
internal static class SourceSnippets
{
    public const string MnistClass = """
        using NetGen;

        namespace MyApp;

        [Network("mnist")]
        public partial class MnistNet;
        """;

    public const string TinyClass = """
        using NetGen;

        namespace MyApp;

        [Network("tiny")]
        public partial class TinyNet;
        """;

    /// <summary>The repository's own nets.json content for the mnist network.</summary>
    public const string MnistSpec = """
        {
          "$schema": "./nets.schema.json",
          "networks": {
            "mnist": {
              "input": 784,
              "layers": [
                { "units": 128, "activation": "relu" },
                { "units": 64,  "activation": "relu" },
                { "units": 10 }
              ],
              "loss": "cross_entropy",
              "optimizer": { "type": "adam", "lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8 },
              "training": { "batch_size": 32, "epochs": 5, "seed": 1 }
            }
          }
        }
        """;

    public const string TinySpec = """
        { "networks": { "tiny": { "shape": "5-7-3", "activation": "relu" } } }
        """;
}
