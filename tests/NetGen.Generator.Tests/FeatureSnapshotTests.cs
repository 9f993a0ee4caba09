using System.Linq;
using System.Runtime.CompilerServices;
using ApprovalTests;
using ApprovalTests.Namers;
using ApprovalTests.Reporters;
using Microsoft.CodeAnalysis;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// One small network per language feature, generated from a real compilation, reviewed as a snapshot
/// (<c>Snapshots/FeatureSnapshotTests.Generates.ForScenario.*.approved.cs</c>) and compiled with warnings as errors.
/// </summary>
[UseReporter(typeof(QuietReporter))]
[UseApprovalSubdirectory("Snapshots")]
public class FeatureSnapshotTests
{
    public static TheoryData<string, string> Features => new()
    {
        { "leaky_relu", """{ "units": 7, "activation": "leaky_relu", "alpha": 0.1 }, { "units": 3 }""" },
        { "tanh", """{ "units": 7, "activation": "tanh" }, { "units": 3 }""" },
        { "sigmoid", """{ "units": 7, "activation": "sigmoid" }, { "units": 3 }""" },
        { "gelu", """{ "units": 7, "activation": "gelu" }, { "units": 3 }""" },
        { "softplus", """{ "units": 7, "activation": "softplus" }, { "units": 3 }""" },
        { "no_bias", """{ "units": 7, "activation": "relu", "bias": false }, { "units": 3, "bias": false }""" },
        { "dropout", """{ "units": 7, "activation": "relu" }, { "type": "dropout", "rate": 0.25 }, { "units": 3 }""" },
        { "initializers", """{ "units": 7, "activation": "relu", "init": "kaiming_uniform" }, { "units": 6, "activation": "relu", "init": "kaiming_normal" }, { "units": 5, "activation": "tanh", "init": "xavier_uniform" }, { "units": 3, "init": "zeros" }""" },
        { "mse", """{ "units": 7, "activation": "relu" }, { "units": 3 } ], "loss": "mse", "layers_end": [""" },
        { "binary_cross_entropy", """{ "units": 7, "activation": "relu" }, { "units": 1 } ], "loss": "binary_cross_entropy", "layers_end": [""" },
        { "adamw", """{ "units": 7, "activation": "relu" }, { "units": 3 } ], "optimizer": { "type": "adamw", "lr": 0.01, "weight_decay": 0.05 }, "layers_end": [""" },
        { "adam_l2", """{ "units": 7, "activation": "relu" }, { "units": 3 } ], "optimizer": { "type": "adam", "weight_decay": 0.001 }, "layers_end": [""" },
        { "sgd", """{ "units": 7, "activation": "relu" }, { "units": 3 } ], "optimizer": { "type": "sgd", "lr": 0.1 }, "layers_end": [""" },
        { "activation_layers", """{ "type": "activation", "activation": "tanh" }, { "units": 7 }, { "type": "activation", "activation": "relu" }, { "type": "activation", "activation": "gelu" }, { "type": "dropout", "rate": 0.2 }, { "type": "activation", "activation": "leaky_relu", "alpha": 0.2 }, { "units": 3 }, { "type": "activation", "activation": "sigmoid" } ], "loss": "mse", "layers_end": [""" },
        { "fit_settings", """{ "units": 7, "activation": "relu" }, { "units": 3 } ], "training": { "validation_split": 0.2, "early_stopping": { "patience": 5, "min_delta": 0.001 }, "clip_grad_norm": 1, "schedule": { "type": "reduce_on_plateau", "factor": 0.5, "patience": 2 } }, "layers_end": [""" },
        { "sgd_nesterov", """{ "units": 7, "activation": "relu" }, { "units": 3 } ], "optimizer": { "type": "sgd", "lr": 0.05, "momentum": 0.9, "nesterov": true, "weight_decay": 0.0001 }, "layers_end": [""" },
    };

    /// <summary>Features of image networks: input [2, 6, 6].</summary>
    public static TheoryData<string, string> ImageFeatures => new()
    {
        { "conv_pool", """{ "type": "conv2d", "filters": 4, "kernel": 3, "padding": 1, "activation": "relu" }, { "type": "max_pool2d", "size": 2 }, { "type": "conv2d", "filters": 3, "kernel": [2, 3], "stride": [1, 2], "bias": false }, { "type": "avg_pool2d", "size": [2, 1], "stride": 1 }, { "units": 3 }""" },
        { "batch_norm", """{ "type": "conv2d", "filters": 4, "kernel": 3, "padding": 1 }, { "type": "batch_norm" }, { "type": "activation", "activation": "relu" }, { "type": "max_pool2d", "size": 2 }, { "units": 5 }, { "type": "batch_norm" }, { "type": "activation", "activation": "relu" }, { "units": 3 }""" },
    };

    /// <summary>A network "f" of the given input and layers; a feature may close the layers array to add network properties.</summary>
    private static string Spec(string layers, string input = "5")
    {
        string body = layers.Contains("\"layers_end\": [")
            ? layers.Replace(", \"layers_end\": [", "")
            : layers + " ]";
        return "{ \"networks\": { \"f\": { \"input\": " + input + ", \"layers\": [ " + body + " } } }";
    }

    [Theory]
    [MemberData(nameof(ImageFeatures))]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void GeneratesImages(string feature, string layers) => GenerateAndVerify(feature, layers, "[2, 6, 6]");

    [Theory]
    [MemberData(nameof(Features))]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Generates(string feature, string layers) => GenerateAndVerify(feature, layers, "5");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void GenerateAndVerify(string feature, string layers, string input)
    {
        var (result, output) = GeneratorHarness.Run(Spec(layers, input), "namespace Features; [NetGen.Network(\"f\")] public partial class FeatureNet;");

        Assert.Empty(result.Diagnostics);
        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        var source = Assert.Single(GeneratorHarness.NetworkSources(result));
        using (ApprovalResults.ForScenario(feature))
        {
            Approvals.VerifyWithExtension(source.SourceText.ToString(), ".cs");
        }
    }
}
