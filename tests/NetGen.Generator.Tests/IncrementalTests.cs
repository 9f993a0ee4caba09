using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator.Model;
using NetGen.Generator.Plan;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>The pipeline caches: an unrelated edit re-emits nothing.</summary>
public class IncrementalTests
{
    [Fact]
    public void Unrelated_csharp_edit_leaves_every_step_cached()
    {
        var compilation = GeneratorHarness.Compilation(SourceSnippets.MnistClass);
        GeneratorDriver driver = GeneratorHarness.Driver(new InMemoryAdditionalText(GeneratorHarness.SpecPath, SourceSnippets.MnistSpec));
        driver = driver.RunGenerators(compilation);

        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class Unrelated { int X => 1; }", GeneratorHarness.ParseOptions));
        driver = driver.RunGenerators(edited);

        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        foreach (string step in new[] { NetworkGenerator.TrackingNames.SpecFiles, NetworkGenerator.TrackingNames.NetworkClasses, NetworkGenerator.TrackingNames.Bindings, NetworkGenerator.TrackingNames.Models, NetworkGenerator.TrackingNames.Plans })
        {
            var outputs = result.TrackedSteps[step].SelectMany(s => s.Outputs).ToList();
            Assert.NotEmpty(outputs);
            Assert.All(outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {o.Reason}"));
        }
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    private const string TwoNetworks = """
        { "networks": {
          "a": { "shape": "4-3-2", "activation": "relu" },
          "b": { "shape": "4-3-2", "activation": "relu" }
        } }
        """;

    private const string TwoNetworksBChanged = """
        { "networks": {
          "a": { "shape": "4-3-2", "activation": "relu" },
          "b": { "shape": "4-5-2", "activation": "relu" }
        } }
        """;

    private const string TwoClasses = """
        using NetGen;

        namespace MyApp;

        [Network("a")]
        public partial class A;

        [Network("b")]
        public partial class B;
        """;

    [Fact]
    public void Editing_one_network_re_emits_only_the_class_bound_to_it()
    {
        var compilation = GeneratorHarness.Compilation(TwoClasses);
        var before = new InMemoryAdditionalText(GeneratorHarness.SpecPath, TwoNetworks);
        GeneratorDriver driver = GeneratorHarness.Driver(before).RunGenerators(compilation);
        string aBefore = GeneratedText(driver, "MyApp.A.g.cs");
        string bBefore = GeneratedText(driver, "MyApp.B.g.cs");

        // A new AdditionalText at the same path, as the IDE or the compiler server hands over an edited file.
        driver = driver.ReplaceAdditionalText(before, new InMemoryAdditionalText(GeneratorHarness.SpecPath, TwoNetworksBChanged));
        driver = driver.RunGenerators(compilation);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        Assert.Empty(result.Diagnostics);

        // The file itself changed, so parsing it and binding both classes against it run again ...
        Assert.Equal(IncrementalStepRunReason.Modified, Assert.Single(result.TrackedSteps[NetworkGenerator.TrackingNames.SpecFiles].SelectMany(s => s.Outputs)).Reason);
        // ... but A's model compares equal to the previous one, B's does not.
        Dictionary<string, IncrementalStepRunReason> models = result.TrackedSteps[NetworkGenerator.TrackingNames.Models]
            .SelectMany(s => s.Outputs)
            .ToDictionary(o => ((GenerationModel)o.Value).Class.ClassName, o => o.Reason);
        Assert.True(models["A"] is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
            $"{NetworkGenerator.TrackingNames.Models} step of A is {models["A"]}: an edit of network \"b\" alone must leave A's model equal to the previous run's");
        Assert.Equal(IncrementalStepRunReason.Modified, models["B"]);
        // ... so A's plan is not made again, B's is.
        Dictionary<string, IncrementalStepRunReason> plans = result.TrackedSteps[NetworkGenerator.TrackingNames.Plans]
            .SelectMany(s => s.Outputs)
            .ToDictionary(o => ((NetworkPlan)o.Value).Class.ClassName, o => o.Reason);
        Assert.True(plans["A"] is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"plan of A is {plans["A"]}");
        Assert.Equal(IncrementalStepRunReason.Modified, plans["B"]);

        // The source output of A is not run again; B's is.
        Dictionary<string, IncrementalStepRunReason> emitted = SourceOutputReasons(result);
        Assert.True(emitted["A"] is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
            $"source output of A is {emitted["A"]}: an edit of network \"b\" alone must not re-emit MyApp.A.g.cs");
        Assert.Equal(IncrementalStepRunReason.Modified, emitted["B"]);

        Assert.Equal(aBefore, GeneratedText(driver, "MyApp.A.g.cs"));
        string bAfter = GeneratedText(driver, "MyApp.B.g.cs");
        Assert.NotEqual(bBefore, bAfter);
    }

    private static string GeneratedText(GeneratorDriver driver, string hintName) =>
        driver.GetRunResult().Results.Single().GeneratedSources.Single(s => s.HintName == hintName).SourceText.ToString();

    /// <summary>The reason of each run of the source output that emits a class, by class name.</summary>
    private static Dictionary<string, IncrementalStepRunReason> SourceOutputReasons(GeneratorRunResult result)
    {
        var reasons = new Dictionary<string, IncrementalStepRunReason>();
        foreach (IncrementalGeneratorRunStep step in result.TrackedOutputSteps.SelectMany(s => s.Value))
        {
            // The output that emits code is the one fed by the Plans step; its input names the class.
            foreach (var (source, index) in step.Inputs)
            {
                if (source.Name != NetworkGenerator.TrackingNames.Plans) continue;
                var plan = (NetworkPlan)source.Outputs[index].Value;
                reasons.Add(plan.Class.ClassName, Assert.Single(step.Outputs).Reason);
            }
        }
        return reasons;
    }
}
