using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>Each mistake in nets.json or in the C# binding gives its NG error at the offending token.</summary>
public class DiagnosticTests
{
    private static string[] Errors(string spec, string source = SourceSnippets.TinyClass)
    {
        var (result, _) = GeneratorHarness.Run(spec, source);
        Assert.Null(result.Exception);
        return result.Diagnostics.Select(GeneratorHarness.Describe).ToArray();
    }

    [Theory]
    // Line and column are 1-based, as dotnet build prints them.
    [InlineData("{ \"networks\": { \"tiny\": { \"shape\": \"5-7-3\" } }", "NG1001@1:47")]            // missing closing brace: the error is at the end
    [InlineData("{ \"networks\": {\n  \"tiny\": { \"shape\": \"5-7-3\", }\n} }", "NG1001@2:31")]   // trailing comma
    [InlineData("{ \"networks\": { \"tiny\": { shape: \"5-7-3\" } } }", "NG1001@1:27")]              // unquoted name
    [InlineData("", "NG1001@1:1")]                                                               // empty file
    [InlineData("{ \"networks\": { \"tiny\": { \"shape\": \"5-7-3\" } } } x", "NG1001@1:50")]          // trailing text
    public void Malformed_json_is_NG1001_at_the_error(string spec, string expected)
    {
        Assert.Equal(new[] { expected }, Errors(spec));
    }

    [Fact]
    public void Non_positive_units_is_NG2004_at_the_value()
    {
        string spec = """
            { "networks": { "tiny": {
                "input": 5,
                "layers": [ { "units": 0, "activation": "relu" }, { "units": 3 } ] } } }
            """;
        Assert.Equal(new[] { "NG2004@3:28" }, Errors(spec));
    }

    [Theory]
    [InlineData("{ \"networks\": { \"tiny\": { \"input\": -5, \"layers\": [ { \"units\": 3 } ] } } }", "NG2004@1:36")]
    [InlineData("{ \"networks\": { \"tiny\": { \"input\": 5.5, \"layers\": [ { \"units\": 3 } ] } } }", "NG2003@1:36")]
    [InlineData("{ \"networks\": { \"tiny\": { \"input\": \"5\", \"layers\": [ { \"units\": 3 } ] } } }", "NG2003@1:36")]
    [InlineData("{ \"networks\": { \"tiny\": { \"shape\": \"5-0-3\" } } }", "NG2006@1:36")]
    [InlineData("{ \"networks\": { \"tiny\": { \"shape\": \"5\" } } }", "NG2006@1:36")]
    [InlineData("{ \"networks\": { \"tiny\": { \"shape\": \"5-3\", \"activation\": \"rellu\" } } }", "NG2005@1:57")]
    [InlineData("{ \"networks\": { \"tiny\": { \"shape\": \"5-3\", \"loss\": \"mse2\" } } }", "NG2005@1:51")]
    [InlineData("{ \"networks\": { \"tiny\": { \"shape\": \"5-3\", \"optimizer\": { \"type\": \"adam\", \"lr\": 0 } } } }", "NG2004@1:80")]
    [InlineData("{ \"networks\": { \"tiny\": { \"shape\": \"5-3\", \"optimiser\": {} } } }", "NG2002@1:43")]
    [InlineData("{ \"networks\": { \"tiny\": { \"input\": 5, \"layers\": [] } } }", "NG2004@1:49")]
    [InlineData("{ \"networks\": { \"tiny\": { \"input\": 5 } } }", "NG2001@1:17")]
    [InlineData("{ \"networks\": { \"tiny\": { \"shape\": \"5-3\", \"layers\": [ { \"units\": 3 } ] } } }", "NG2007@1:27")]
    [InlineData("{ \"networks\": { \"tiny\": { \"shape\": \"5-1\" } } }", "NG2010@1:36")]                  // cross_entropy needs 2 outputs
    [InlineData("{ \"networks\": { \"tiny\": { \"input\": 5, \"layers\": [ { \"units\": 1 } ] } } }", "NG2010@1:62")]
    [InlineData("{ \"networks\": { \"tiny\": { \"shape\": \"5-3\", \"optimizer\": { \"type\": \"adam\", \"lr\": 1e-50 } } } }", "NG2004@1:80")]   // 0 as a float
    [InlineData("{ \"networks\": { \"tiny\": { \"shape\": \"5-3\", \"optimizer\": { \"type\": \"adam\", \"beta1\": 0.99999999999 } } } }", "NG2004@1:83")] // 1 as a float
    [InlineData("{ \"networks\": { \"tiny\": { \"shape\": \"5-3\", \"optimizer\": { \"type\": \"adam\", \"eps\": 0 } } } }", "NG2004@1:81")]
    [InlineData("{ \"networks\": { \"tiny\": { \"input\": 5, \"layers\": [ { \"units\": 4 }, { \"name\": \"fc_1\", \"units\": 3 } ] } } }", "NG2008@1:77")]
    [InlineData("{ \"networks\": { \"tiny\": { \"shape\": \"100000-2000-2\" } } }", "NG2009@1:17")]
    public void Semantic_errors_point_at_the_value(string spec, string expected)
    {
        Assert.Equal(new[] { expected }, Errors(spec));
    }

    [Theory]
    // Expected columns are counted by hand: the prefix { "networks": { "tiny": { "input": 5, "layers": [ puts the
    // first layer's brace at column 51 and its first property at 53; with { "shape": "5-3", the "optimizer" name is at 43
    // and the optimizer's "type" value at 66.
    // Layers: alpha, bias, dropout.
    [InlineData("""{ "networks": { "tiny": { "input": 5, "layers": [ { "units": 3, "activation": "leaky_relu", "alpha": -0.5 } ] } } }""", "NG2004@1:102")]
    [InlineData("""{ "networks": { "tiny": { "input": 5, "layers": [ { "units": 3, "activation": "relu", "alpha": 0.1 } ] } } }""", "NG2007@1:87")]  // alpha names leaky_relu's slope
    [InlineData("""{ "networks": { "tiny": { "input": 5, "layers": [ { "units": 3, "alpha": 0.1 } ] } } }""", "NG2007@1:65")]                        // no activation is identity
    [InlineData("""{ "networks": { "tiny": { "input": 5, "layers": [ { "units": 3, "bias": "false" } ] } } }""", "NG2003@1:73")]
    [InlineData("""{ "networks": { "tiny": { "input": 5, "layers": [ { "units": 3, "init": 3 } ] } } }""", "NG2003@1:73")]
    [InlineData("""{ "networks": { "tiny": { "input": 5, "layers": [ { "units": 4 }, { "type": "dropout" }, { "units": 3 } ] } } }""", "NG2001@1:67")]              // rate missing: at the layer's brace
    [InlineData("""{ "networks": { "tiny": { "input": 5, "layers": [ { "units": 4 }, { "type": "dropout", "rate": 1 }, { "units": 3 } ] } } }""", "NG2004@1:96")]
    [InlineData("""{ "networks": { "tiny": { "input": 5, "layers": [ { "units": 4 }, { "type": "dropout", "rate": -0.1 }, { "units": 3 } ] } } }""", "NG2004@1:96")]
    [InlineData("""{ "networks": { "tiny": { "input": 5, "layers": [ { "units": 4 }, { "type": "dropout", "rate": 0.5, "units": 3 }, { "units": 3 } ] } } }""", "NG2002@1:101")]
    [InlineData("""{ "networks": { "tiny": { "input": 5, "layers": [ { "type": "dropout", "rate": 0.5 }, { "units": 3 } ] } } }""", "NG2011@1:61")]                  // first
    [InlineData("""{ "networks": { "tiny": { "input": 5, "layers": [ { "units": 3 }, { "type": "dropout", "rate": 0.5 } ] } } }""", "NG2011@1:77")]                  // last
    [InlineData("""{ "networks": { "tiny": { "input": 5, "layers": [ { "units": 4 }, { "type": "dropout", "rate": 0.5 }, { "type": "dropout", "rate": 0.5 }, { "units": 3 } ] } } }""", "NG2011@1:113")] // twice in a row: at the second
    // Batch norm layers.
    [InlineData("""{ "networks": { "tiny": { "input": 5, "layers": [ { "type": "batch_norm" }, { "units": 3 } ] } } }""", "NG2014@1:61")]                                    // first
    [InlineData("""{ "networks": { "tiny": { "input": 5, "layers": [ { "units": 4 }, { "type": "batch_norm" }, { "type": "batch_norm" }, { "units": 3 } ] } } }""", "NG2014@1:103")] // twice in a row: at the second
    [InlineData("""{ "networks": { "tiny": { "input": 5, "layers": [ { "units": 4 }, { "type": "batch_norm", "momentum": 0.2 }, { "units": 3 } ] } } }""", "NG2002@1:91")]     // momentum is fixed at PyTorch's 0.1
    // Activation layers.
    [InlineData("""{ "networks": { "tiny": { "input": 5, "layers": [ { "type": "activation" }, { "units": 3 } ] } } }""", "NG2001@1:51")] // activation missing: at the layer's brace
    [InlineData("""{ "networks": { "tiny": { "input": 5, "layers": [ { "type": "activation", "activation": "rellu" }, { "units": 3 } ] } } }""", "NG2005@1:89")]
    [InlineData("""{ "networks": { "tiny": { "input": 5, "layers": [ { "type": "activation", "activation": 1 }, { "units": 3 } ] } } }""", "NG2003@1:89")]
    [InlineData("""{ "networks": { "tiny": { "input": 5, "layers": [ { "type": "activation", "activation": "tanh", "alpha": 0.1 }, { "units": 3 } ] } } }""", "NG2007@1:97")] // alpha only with leaky_relu
    [InlineData("""{ "networks": { "tiny": { "input": 5, "layers": [ { "type": "activation", "activation": "leaky_relu", "alpha": -1 }, { "units": 3 } ] } } }""", "NG2004@1:112")]
    [InlineData("""{ "networks": { "tiny": { "input": 5, "layers": [ { "units": 4 }, { "type": "activation", "activation": "relu", "units": 3 }, { "units": 3 } ] } } }""", "NG2002@1:113")] // units on an activation layer
    [InlineData("""{ "networks": { "tiny": { "input": 5, "layers": [ { "type": "activation", "activation": "relu" } ] } } }""", "NG2012@1:49")] // no dense layer
    [InlineData("""{ "networks": { "tiny": { "input": 5, "layers": [ { "type": "activation", "activation": "relu" }, { "type": "dropout", "rate": 0.5 }, { "units": 3 } ] } } }""", "NG2011@1:109")] // dropout on the activated inputs: before any dense layer
    // Losses: the output layer must fit (at the last layer's units, or the shape).
    [InlineData("""{ "networks": { "tiny": { "input": 5, "layers": [ { "units": 4 }, { "units": 3 } ], "loss": "binary_cross_entropy" } } }""", "NG2010@1:78")]
    [InlineData("""{ "networks": { "tiny": { "shape": "5-8-3", "loss": "binary_cross_entropy" } } }""", "NG2010@1:36")]
    // Optimizers.
    [InlineData("""{ "networks": { "tiny": { "shape": "5-3", "optimizer": { "lr": 0.1 } } } }""", "NG2001@1:43")]                                      // type missing: at "optimizer"
    [InlineData("""{ "networks": { "tiny": { "shape": "5-3", "optimizer": { "type": "sgd" } } } }""", "NG2001@1:43")]                                  // sgd has no default lr
    [InlineData("""{ "networks": { "tiny": { "shape": "5-3", "optimizer": { "type": "sgd", "lr": 0.1, "nesterov": true } } } }""", "NG2007@1:96")]
    [InlineData("""{ "networks": { "tiny": { "shape": "5-3", "optimizer": { "type": "sgd", "lr": 0.1, "momentum": 0, "nesterov": true } } } }""", "NG2007@1:111")]
    [InlineData("""{ "networks": { "tiny": { "shape": "5-3", "optimizer": { "type": "sgd", "lr": 0.1, "nesterov": 1 } } } }""", "NG2003@1:96")]
    [InlineData("""{ "networks": { "tiny": { "shape": "5-3", "optimizer": { "type": "sgd", "lr": 0.1, "momentum": 1 } } } }""", "NG2004@1:96")]
    [InlineData("""{ "networks": { "tiny": { "shape": "5-3", "optimizer": { "type": "sgd", "lr": 0.1, "weight_decay": -1 } } } }""", "NG2004@1:100")]
    [InlineData("""{ "networks": { "tiny": { "shape": "5-3", "optimizer": { "type": "adamw", "weight_decay": -0.01 } } } }""", "NG2004@1:91")]
    [InlineData("""{ "networks": { "tiny": { "shape": "5-3", "optimizer": { "type": "sgd", "lr": 0.1, "beta1": 0.9 } } } }""", "NG2002@1:84")]       // adam-only property on sgd
    [InlineData("""{ "networks": { "tiny": { "shape": "5-3", "optimizer": { "type": "adam", "momentum": 0.9 } } } }""", "NG2002@1:74")]              // sgd-only property on adam
    public void Language_mistakes_point_at_the_token(string spec, string expected)
    {
        Assert.Equal(new[] { expected }, Errors(spec));
    }

    [Theory]
    [InlineData("""{ "networks": { "tiny": { "input": 5, "layers": [ { "units": 3, "activation": "sigmod" } ] } } }""", "NG2005@1:79", "activation", "sigmoid")]
    [InlineData("""{ "networks": { "tiny": { "input": 5, "layers": [ { "units": 3, "init": "kaiming-normal" } ] } } }""", "NG2005@1:73", "initializer", "kaiming_normal")]
    [InlineData("""{ "networks": { "tiny": { "input": 5, "layers": [ { "units": 4 }, { "type": "droput", "rate": 0.5 }, { "units": 3 } ] } } }""", "NG2005@1:77", "layer type", "dropout")]
    [InlineData("""{ "networks": { "tiny": { "shape": "5-3", "optimizer": { "type": "SGD", "lr": 0.1 } } } }""", "NG2005@1:66", "optimizer", "sgd")]
    [InlineData("""{ "networks": { "tiny": { "input": 5, "layers": [ { "units": 3 } ], "loss": "mse2" } } }""", "NG2005@1:77", "loss", "mse")]
    // Two adjacent letters swapped are one edit: words of fewer than six letters get a suggestion one edit away.
    [InlineData("""{ "networks": { "tiny": { "input": 5, "layers": [ { "units": 3, "activation": "rleu" } ] } } }""", "NG2005@1:79", "activation", "relu")]
    [InlineData("""{ "networks": { "tiny": { "input": 5, "layers": [ { "units": 3, "activation": "tnah" } ] } } }""", "NG2005@1:79", "activation", "tanh")]
    [InlineData("""{ "networks": { "tiny": { "shape": "5-3", "optimizer": { "type": "adma" } } } }""", "NG2005@1:66", "optimizer", "adam")]
    public void Unknown_values_are_NG2005_at_the_value_and_suggest_the_near_miss(string spec, string expected, string what, string suggestion)
    {
        var (result, _) = GeneratorHarness.Run(spec, SourceSnippets.TinyClass);
        Diagnostic d = Assert.Single(result.Diagnostics);
        Assert.Equal(expected, GeneratorHarness.Describe(d));
        Assert.StartsWith($"Unknown {what} ", d.GetMessage());
        Assert.EndsWith($"(did you mean \"{suggestion}\"?)", d.GetMessage());
    }

    [Theory]
    [InlineData("""{ "networks": { "tiny": { "shape": "5-3", "optimizer": { "type": "sgd", "lr": 0.1, "beta1": 0.9 } } } }""",
        "Unknown property \"beta1\" in the optimizer of network \"tiny\" (sgd); known properties: type, lr, momentum, nesterov, weight_decay")]
    [InlineData("""{ "networks": { "tiny": { "shape": "5-3", "optimizer": { "type": "adam", "momentum": 0.9 } } } }""",
        "Unknown property \"momentum\" in the optimizer of network \"tiny\" (adam); known properties: type, lr, beta1, beta2, eps, weight_decay")]
    [InlineData("""{ "networks": { "tiny": { "input": 5, "layers": [ { "units": 4 }, { "type": "dropout", "rate": 0.5, "units": 3 }, { "units": 3 } ] } } }""",
        "Unknown property \"units\" in layer 2 (dropout); known properties: type, rate")]
    public void A_property_of_another_kind_lists_the_properties_this_kind_knows(string spec, string message)
    {
        var (result, _) = GeneratorHarness.Run(spec, SourceSnippets.TinyClass);
        Assert.Equal(message, Assert.Single(result.Diagnostics).GetMessage());
    }

    [Theory]
    // " as a float" only when the value is in range and its float rounding is not.
    [InlineData("""{ "networks": { "tiny": { "shape": "5-3", "optimizer": { "type": "adamw", "weight_decay": -0.01 } } } }""", "\"weight_decay\" is -0.01, but it must be at least 0")]
    [InlineData("""{ "networks": { "tiny": { "shape": "5-3", "optimizer": { "type": "sgd", "lr": 0.1, "momentum": 1.1 } } } }""", "\"momentum\" is 1.1, but it must be in [0, 1)")]
    [InlineData("""{ "networks": { "tiny": { "shape": "5-3", "optimizer": { "type": "adam", "lr": 1e-50 } } } }""", "\"lr\" is 1e-50, but it must be greater than 0 as a float")]
    [InlineData("""{ "networks": { "tiny": { "shape": "5-3", "optimizer": { "type": "adam", "beta1": 0.99999999999 } } } }""", "\"beta1\" is 0.99999999999, but it must be in [0, 1) as a float")]
    public void Out_of_range_messages_blame_float_rounding_only_when_it_is_the_cause(string spec, string message)
    {
        var (result, _) = GeneratorHarness.Run(spec, SourceSnippets.TinyClass);
        Assert.Equal(message, Assert.Single(result.Diagnostics).GetMessage());
    }

    [Theory]
    // One mistake gives one error, not follow-on errors about its neighbours.
    [InlineData("""{ "networks": { "tiny": { "input": 5, "layers": [ { "activation": "relu" }, { "units": 3 } ] } } }""", "NG2001@1:51")]                                   // not also NG2008 (fc1 twice)
    [InlineData("""{ "networks": { "tiny": { "input": 5, "layers": [ { "activation": "relu" }, { "type": "dropout", "rate": 0.5 }, { "units": 3 } ] } } }""", "NG2001@1:51")] // not also NG2011 (no dense layer before)
    [InlineData("""{ "networks": { "tiny": { "shape": "5-3", "optimizer": { "type": "sgd", "lr": 0.1, "momentum": 1, "nesterov": true } } } }""", "NG2004@1:96")]          // not also NG2007 (nesterov without momentum)
    public void A_mistake_does_not_cascade(string spec, string expected)
    {
        Assert.Equal(new[] { expected }, Errors(spec));
    }

    /// <summary>Every property of the language at least once, each value of every enumeration, all three optimizers and losses, every schedule.</summary>
    internal const string EveryFeatureSpec = """
        {
          "$schema": "./nets.schema.json",
          "networks": {
            "tiny": {
              "input": 5,
              "layers": [
                { "type": "dense", "name": "hidden", "units": 8, "activation": "leaky_relu", "alpha": 0.2, "bias": true, "init": "kaiming_uniform" },
                { "type": "dropout", "rate": 0.25 },
                { "units": 8, "activation": "gelu", "bias": false, "init": "kaiming_normal" },
                { "units": 6, "activation": "tanh", "init": "xavier_uniform" },
                { "type": "dropout", "rate": 0 },
                { "units": 6, "activation": "sigmoid", "init": "default" },
                { "units": 5, "activation": "softplus", "init": "zeros" },
                { "units": 4, "activation": "relu" },
                { "units": 3, "activation": "identity" }
              ],
              "loss": "cross_entropy",
              "optimizer": { "type": "sgd", "lr": 0.05, "momentum": 0.9, "nesterov": true, "weight_decay": 0.0001 },
              "training": { "batch_size": 16, "epochs": 2, "seed": 7, "validation_split": 0.2, "clip_grad_norm": 1.5,
                "early_stopping": { "patience": 3, "min_delta": 0.001, "restore_best": false },
                "schedule": { "type": "reduce_on_plateau", "factor": 0.5, "patience": 2, "threshold": 0.001, "cooldown": 1, "min_lr": 1e-6 } }
            },
            "binary": {
              "shape": "5-4-1",
              "activation": "leaky_relu",
              "loss": "binary_cross_entropy",
              "optimizer": { "type": "adamw", "lr": 0.01, "beta1": 0.8, "beta2": 0.99, "eps": 1e-7, "weight_decay": 0.05 },
              "training": { "schedule": { "type": "cosine", "t_max": 10, "eta_min": 0.0001 } }
            },
            "regression": {
              "input": 3,
              "layers": [ { "units": 4, "activation": "relu" }, { "units": 2 } ],
              "loss": "mse",
              "optimizer": { "type": "adam", "weight_decay": 0.001 },
              "training": { "schedule": { "type": "step", "step_size": 3, "gamma": 0.5 } }
            },
            "decay": { "shape": "3-2", "training": { "schedule": { "type": "exponential", "gamma": 0.9 } } },
            "warmup": { "shape": "3-2", "training": { "schedule": { "type": "warmup_cosine", "warmup_steps": 10, "start_factor": 0.1, "eta_min": 0 } } }
          }
        }
        """;

    [Fact]
    public void A_valid_spec_using_every_feature_gives_no_diagnostics_and_compiles()
    {
        string source = "using NetGen;\nnamespace MyApp;\n[Network(\"tiny\")] public partial class TinyNet;\n[Network(\"binary\")] public partial class BinaryNet;\n[Network(\"regression\")] public partial class RegressionNet;\n" +
            "[Network(\"decay\")] public partial class DecayNet;\n[Network(\"warmup\")] public partial class WarmupNet;";
        var (result, output) = GeneratorHarness.Run(EveryFeatureSpec, source);
        Assert.Null(result.Exception);
        Assert.Empty(result.Diagnostics);
        Assert.Equal(new[] { "MyApp.BinaryNet.g.cs", "MyApp.DecayNet.g.cs", "MyApp.RegressionNet.g.cs", "MyApp.TinyNet.g.cs", "MyApp.WarmupNet.g.cs" }, GeneratorHarness.NetworkSources(result).Select(s => s.HintName).OrderBy(n => n, System.StringComparer.Ordinal));
        Assert.Empty(GeneratorHarness.CompileDiagnostics(output));
    }

    [Fact]
    public void Unknown_property_suggests_the_near_miss()
    {
        var (result, _) = GeneratorHarness.Run("{ \"networks\": { \"tiny\": { \"shape\": \"5-3\", \"optimiser\": {} } } }", SourceSnippets.TinyClass);
        Diagnostic d = Assert.Single(result.Diagnostics);
        Assert.Contains("did you mean \"optimizer\"?", d.GetMessage());
    }

    [Fact]
    public void Unknown_network_name_is_NG3001_at_the_attribute_argument_and_lists_the_networks()
    {
        string source = "using NetGen;\nnamespace MyApp;\n[Network(\"mnsit\")]\npublic partial class MnistNet;";
        var (result, _) = GeneratorHarness.Run(SourceSnippets.MnistSpec, source);
        Diagnostic d = Assert.Single(result.Diagnostics);
        Assert.Equal("NG3001@3:10", GeneratorHarness.Describe(d));
        Assert.Equal("/project/File0.cs", d.Location.GetLineSpan().Path);
        Assert.Contains("\"mnist\"", d.GetMessage());
        Assert.Contains("(NG3001)", StubOf(result)); // no network: a stub of the class (StubTests)
    }

    [Fact]
    public void A_network_with_errors_is_reported_once_not_also_as_missing()
    {
        Assert.Equal(new[] { "NG2006@1:36" }, Errors("{ \"networks\": { \"tiny\": { \"shape\": \"5-x\" } } }"));
    }

    [Fact]
    public void Class_without_partial_is_NG3003()
    {
        var (result, _) = GeneratorHarness.Run(SourceSnippets.TinySpec, "[NetGen.Network(\"tiny\")]\nclass TinyNet { }");
        Assert.Equal(new[] { "NG3003@2:7" }, result.Diagnostics.Select(GeneratorHarness.Describe));
        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void Nested_class_is_NG3004()
    {
        var (result, _) = GeneratorHarness.Run(SourceSnippets.TinySpec, "partial class Outer {\n [NetGen.Network(\"tiny\")] partial class TinyNet; }");
        Assert.Equal(new[] { "NG3004@2:41" }, result.Diagnostics.Select(GeneratorHarness.Describe));
    }

    [Fact]
    public void No_nets_json_is_NG3002()
    {
        var (result, _) = GeneratorHarness.Run(System.Array.Empty<Microsoft.CodeAnalysis.AdditionalText>(), SourceSnippets.TinyClass);
        Assert.Equal(new[] { "NG3002@5:10" }, result.Diagnostics.Select(GeneratorHarness.Describe));
        // The package's props add nets.json and *.nets.json of the project folder by themselves: the message says so,
        // and names AdditionalFiles only for a spec kept elsewhere.
        Assert.Equal(
            "[Network(\"tiny\")] needs a nets.json; put a nets.json (or NAME.nets.json) beside the project file, or list a spec file elsewhere with <AdditionalFiles Include=\"path/nets.json\" />",
            result.Diagnostics.Single().GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void The_same_network_in_two_spec_files_is_NG3005()
    {
        var specs = new Microsoft.CodeAnalysis.AdditionalText[]
        {
            new InMemoryAdditionalText("/project/nets.json", SourceSnippets.TinySpec),
            new InMemoryAdditionalText("/project/more.nets.json", SourceSnippets.TinySpec),
        };
        var (result, _) = GeneratorHarness.Run(specs, SourceSnippets.TinyClass);
        Diagnostic d = Assert.Single(result.Diagnostics);
        Assert.Equal("NG3005@5:10", GeneratorHarness.Describe(d));
        Assert.Contains("nets.json and more.nets.json", d.GetMessage());
        Assert.Contains("(NG3005)", StubOf(result));
    }

    [Theory]
    // The second attribute's argument: [Network( is 9 characters, so the argument starts at column 10;
    // in [Network("tiny"), Network( the second one starts at column 27.
    [InlineData("using NetGen;\nnamespace MyApp;\n[Network(\"tiny\")]\n[Network(\"tiny\")]\npublic partial class TinyNet;", "NG3006@4:10")]
    [InlineData("using NetGen;\nnamespace MyApp;\n[Network(\"tiny\"), Network(\"other\")]\npublic partial class TinyNet;", "NG3006@3:27")]
    public void A_second_Network_attribute_is_NG3006_and_the_class_gets_only_the_stub(string source, string expected)
    {
        var (result, output) = GeneratorHarness.Run(SourceSnippets.TinySpec, source);
        Diagnostic d = Assert.Single(result.Diagnostics);
        Assert.Equal(expected, GeneratorHarness.Describe(d));
        Assert.Equal("Class 'TinyNet' has more than one [Network] attribute; a class holds one network, so declare another partial class for each further network", d.GetMessage());
        Assert.Contains("(NG3006)", StubOf(result));
        Assert.Empty(GeneratorHarness.CompileDiagnostics(output)); // AllowMultiple = true: no CS0579 from the compiler
    }

    private const string TinyDeclaration = "using NetGen;\nnamespace MyApp;\n[Network(\"tiny\")]\npublic partial class TinyNet;";

    [Fact]
    public void A_second_Network_attribute_on_another_partial_declaration_is_NG3006_there()
    {
        var (result, output) = GeneratorHarness.Run(SourceSnippets.TinySpec, TinyDeclaration, TinyDeclaration);
        Diagnostic d = Assert.Single(result.Diagnostics);
        Assert.Equal("NG3006@3:10", GeneratorHarness.Describe(d));
        Assert.Equal("/project/File1.cs", d.Location.GetLineSpan().Path);
        Assert.DoesNotContain(GeneratorHarness.CompileDiagnostics(output), c => c.Id == "CS0579");
        Assert.Empty(GeneratorHarness.CompileDiagnostics(output));
    }

    [Fact]
    public void A_second_Network_attribute_on_another_partial_declaration_leaves_the_class_with_only_the_stub()
    {
        var (result, _) = GeneratorHarness.Run(SourceSnippets.TinySpec, TinyDeclaration, TinyDeclaration);
        Assert.Contains("(NG3006)", StubOf(result));
    }

    /// <summary>The one generated file, which must be a stub (no core, members that throw): see StubTests.</summary>
    private static string StubOf(GeneratorRunResult result)
    {
        string code = Assert.Single(GeneratorHarness.NetworkSources(result)).SourceText.ToString();
        Assert.Contains("was not generated because", code);
        Assert.DoesNotContain("_core", code);
        return code;
    }

    [Fact]
    public void One_network_may_back_several_classes_each_in_its_own_file()
    {
        string source = "namespace A { [NetGen.Network(\"tiny\")] partial class Net; }\nnamespace B { [NetGen.Network(\"tiny\")] partial class Net; }";
        var (result, output) = GeneratorHarness.Run(SourceSnippets.TinySpec, source);
        Assert.Empty(result.Diagnostics);
        Assert.Equal(new[] { "A.Net.g.cs", "B.Net.g.cs" }, GeneratorHarness.NetworkSources(result).Select(s => s.HintName).OrderBy(n => n));
        Assert.Empty(GeneratorHarness.CompileDiagnostics(output));
    }

    [Fact]
    public void Only_nets_json_files_are_read()
    {
        var specs = new Microsoft.CodeAnalysis.AdditionalText[]
        {
            new InMemoryAdditionalText("/project/other.json", "not json at all"),
            new InMemoryAdditionalText("/project/extra.nets.json", SourceSnippets.TinySpec),
        };
        var (result, _) = GeneratorHarness.Run(specs, SourceSnippets.TinyClass);
        Assert.Empty(result.Diagnostics);
        Assert.Single(GeneratorHarness.NetworkSources(result));
    }

    [Fact]
    public void Every_truncation_of_a_valid_spec_gives_errors_never_a_crash()
    {
        string spec = SourceSnippets.MnistSpec;
        for (int length = 0; length < spec.Length; length++)
        {
            var (result, _) = GeneratorHarness.Run(spec.Substring(0, length), SourceSnippets.MnistClass);
            Assert.Null(result.Exception);
            Assert.Contains(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error && d.Id.StartsWith("NG", System.StringComparison.Ordinal));
        }
    }
}
