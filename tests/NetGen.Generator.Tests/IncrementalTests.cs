using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
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
        foreach (string step in new[] { NetworkGenerator.TrackingNames.SpecFiles, NetworkGenerator.TrackingNames.NetworkClasses, NetworkGenerator.TrackingNames.Bindings, NetworkGenerator.TrackingNames.Models })
        {
            var outputs = result.TrackedSteps[step].SelectMany(s => s.Outputs).ToList();
            Assert.NotEmpty(outputs);
            Assert.All(outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {o.Reason}"));
        }
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }
}
