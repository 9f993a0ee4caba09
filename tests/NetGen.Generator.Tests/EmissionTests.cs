using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Threading;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;
using NetGen.Generator.Spec;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>Emission does not depend on the build machine, and the pipeline's model holds only plain values.</summary>
public class EmissionTests
{
    private const string SpecWithFractions = """
        { "networks": { "tiny": { "shape": "5-7-3", "activation": "relu",
            "optimizer": { "type": "adam", "lr": 0.0025, "beta1": 0.85, "beta2": 0.995, "eps": 1.5e-7 },
            "training": { "batch_size": 8, "epochs": 2, "seed": -12, "validation_split": 0.25, "clip_grad_norm": 1.5,
              "early_stopping": { "patience": 3, "min_delta": 0.001 },
              "schedule": { "type": "warmup_cosine", "warmup_steps": 10, "start_factor": 0.25, "eta_min": 1e-5 } } },
          "fractions": { "input": 5, "layers": [ { "units": 7, "activation": "leaky_relu", "alpha": 0.125, "init": "xavier_uniform" },
            { "type": "dropout", "rate": 0.35 }, { "units": 3, "activation": "gelu" } ],
            "loss": "mse", "optimizer": { "type": "sgd", "lr": 0.075, "momentum": 0.95, "weight_decay": 2.5e-4 } } } }
        """;

    private const string FractionsClass = "namespace MyApp; [NetGen.Network(\"fractions\")] public partial class FractionsNet;";

    private static string Generate()
    {
        var (result, output) = GeneratorHarness.Run(SpecWithFractions, SourceSnippets.TinyClass, FractionsClass);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.CompileDiagnostics(output));
        Assert.Equal(2, GeneratorHarness.NetworkSources(result).Length);
        return string.Join("\n", GeneratorHarness.NetworkSources(result).OrderBy(s => s.HintName, StringComparer.Ordinal).Select(s => s.SourceText.ToString()));
    }

    [Fact]
    public void Output_is_the_same_under_a_culture_with_other_separators_and_minus_sign()
    {
        string invariant = RunUnder(CultureInfo.InvariantCulture, Generate);
        // Swedish uses ',' for decimals and U+2212 as the minus sign; German uses ','.
        Assert.Equal(invariant, RunUnder(new CultureInfo("sv-SE"), Generate));
        Assert.Equal(invariant, RunUnder(new CultureInfo("de-DE"), Generate));
        Assert.Contains("private const double Beta1 = 0.85, Beta2 = 0.995;", invariant);
        Assert.Contains("Epsilon = 1.5E-07f", invariant);
        Assert.Contains("DefaultSeed = -12", invariant);
        Assert.Contains("Fc1Alpha = 0.125f", invariant);
        Assert.Contains("Dropout1Rate = 0.35f", invariant);
        Assert.Contains("Momentum = 0.95f", invariant);
        Assert.Contains("WeightDecay = 0.00025f", invariant);
    }

    [Fact]
    public void Output_is_byte_identical_for_identical_input()
    {
        Assert.Equal(Generate(), Generate());
    }

    /// <summary>
    /// The network owns worker threads, so it is IDisposable. A class that may be derived from gets the standard dispose
    /// pattern (what CA1063 asks of it, in the user's declaration, under AnalysisLevel latest-all); a sealed one, in any of
    /// its partial declarations, needs no more than Dispose().
    /// </summary>
    [Theory]
    [InlineData("namespace MyApp; [NetGen.Network(\"tiny\")] public partial class TinyNet;", false)]
    [InlineData("namespace MyApp; [NetGen.Network(\"tiny\")] public sealed partial class TinyNet;", true)]
    [InlineData("namespace MyApp; [NetGen.Network(\"tiny\")] partial class TinyNet; sealed partial class TinyNet;", true)]
    public void An_unsealed_class_gets_the_dispose_pattern_and_a_sealed_one_Dispose_alone(string source, bool isSealed)
    {
        var (result, output) = GeneratorHarness.Run(SourceSnippets.TinySpec, source);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.CompileDiagnostics(output));
        string code = Assert.Single(GeneratorHarness.NetworkSources(result)).SourceText.ToString();
        if (isSealed)
        {
            Assert.Contains("public void Dispose() => _core.Dispose();", code);
            Assert.DoesNotContain("Dispose(bool", code);
        }
        else
        {
            Assert.Contains("public void Dispose()\n        {\n            Dispose(true);\n            global::System.GC.SuppressFinalize(this);\n        }", code);
            Assert.Contains("protected virtual void Dispose(bool disposing)\n        {\n            if (disposing) _core.Dispose();\n        }", code);
        }
    }

    private static T RunUnder<T>(CultureInfo culture, Func<T> action)
    {
        CultureInfo saved = Thread.CurrentThread.CurrentCulture, savedUi = Thread.CurrentThread.CurrentUICulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = culture;
            Thread.CurrentThread.CurrentUICulture = culture;
            return action();
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = saved;
            Thread.CurrentThread.CurrentUICulture = savedUi;
        }
    }

    [Fact]
    public void Pipeline_values_hold_no_symbols_syntax_or_compilations()
    {
        var compilation = GeneratorHarness.Compilation(SourceSnippets.MnistClass);
        GeneratorDriver driver = GeneratorHarness.Driver(new InMemoryAdditionalText(GeneratorHarness.SpecPath, SourceSnippets.MnistSpec)).RunGenerators(compilation);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();

        // NetGen's own steps (Roslyn's internal steps of ForAttributeWithMetadataName hold syntax by design).
        string[] ours = { NetworkGenerator.TrackingNames.SpecFiles, NetworkGenerator.TrackingNames.NetworkClasses, NetworkGenerator.TrackingNames.Bindings, NetworkGenerator.TrackingNames.Models, NetworkGenerator.TrackingNames.Plans };
        var values = ours.SelectMany(name => result.TrackedSteps[name]).SelectMany(s => s.Outputs).Select(o => o.Value).ToList();
        Assert.Contains(values, v => v is GenerationModel);
        Assert.Contains(values, v => v is NetGen.Generator.Plan.NetworkPlan);
        foreach (object value in values) AssertPlain(value, new HashSet<object>(ReferenceEqualityComparer.Instance), "step output");
    }

    private static void AssertPlain(object? value, HashSet<object> seen, string path)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum) return;
        Assert.False(value is ISymbol || value is SyntaxNode || value is Compilation || value is SemanticModel || value is SyntaxTree || value is Location,
            $"{path} holds a {value.GetType().Name}, which keeps the whole compilation alive and defeats caching");
        if (value is DiagnosticDescriptor || value is Microsoft.CodeAnalysis.Text.TextSpan || value is Microsoft.CodeAnalysis.Text.LinePositionSpan) return;
        if (!value.GetType().IsValueType && !seen.Add(value)) return;
        if (value is IEnumerable items)
        {
            int i = 0;
            foreach (object? item in items) AssertPlain(item, seen, $"{path}[{i++}]");
            if (value.GetType().Namespace?.StartsWith("System.Collections", StringComparison.Ordinal) == true) return;
        }
        foreach (FieldInfo field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            AssertPlain(field.GetValue(value), seen, $"{path}.{field.Name}");
    }
}
