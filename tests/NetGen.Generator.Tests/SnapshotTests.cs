using System.Linq;
using System.Runtime.CompilerServices;
using ApprovalTests;
using ApprovalTests.Namers;
using ApprovalTests.Reporters;
using NetGen.Generator.Emit;
using NetGen.Generator.Language;
using NetGen.Generator.Model;
using NetGen.Generator.Plan;
using Xunit;

namespace NetGen.Generator.Tests;

using LossKind = NetGen.Generator.Language.LossKind;

/// <summary>
/// The generated code as reviewed files (<c>Snapshots/*.approved.cs</c>). A change to the emitters shows up there as a
/// <c>*.received.cs</c> to diff and, once reviewed, copy over the approved file.
/// </summary>
[UseReporter(typeof(QuietReporter))] // DiffReporter throws where no diff tool is installed, as in CI.
[UseApprovalSubdirectory("Snapshots")]
public class SnapshotTests
{
    [Fact]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Mnist_network_from_a_real_compilation()
    {
        var (result, output) = GeneratorHarness.Run(SourceSnippets.MnistSpec, SourceSnippets.MnistClass);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.CompileDiagnostics(output));
        var source = Assert.Single(GeneratorHarness.NetworkSources(result));
        Assert.Equal("MyApp.MnistNet.g.cs", source.HintName);
        Approvals.VerifyWithExtension(source.SourceText.ToString(), ".cs");
    }

    [Fact]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Small_network_from_a_hand_built_model()
    {
        // Global namespace, a sealed class (Dispose alone, no dispose pattern), a named layer, a linear hidden layer
        // (no ReLU mask in its backward pass).
        var network = new NetworkSpec(
            "small",
            Shape.Flat(3),
            new EquatableArray<LayerSpec>(new LayerSpec[]
            {
                new DenseLayerSpec("hidden", 5, Activation.Relu),
                new DenseLayerSpec("fc2", 4),
                new DenseLayerSpec("fc3", 2),
            }),
            LossKind.CrossEntropy,
            new OptimizerSpec(OptimizerKind.Adam, 0.01f, 0.8, 0.99, 1e-6f),
            new TrainingSpec(4, 2, 7));
        var model = new GenerationModel(new NetworkClass("", "SmallNet", "internal", "SmallNet", IsSealed: true), network);

        string code = NetworkEmitter.Emit(Planner.Plan(model));

        var compilation = GeneratorHarness.Compilation("[NetGen.Network(\"small\")] internal sealed partial class SmallNet;", code);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning));
        Approvals.VerifyWithExtension(code, ".cs");
    }

    [Fact]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Stub_of_a_network_whose_spec_has_errors()
    {
        // The unsealed class of MnistClass (so the dispose pattern), a misspelled activation.
        var (result, output) = GeneratorHarness.Run(SourceSnippets.MnistSpec.Replace("\"relu\"", "\"rleu\""), SourceSnippets.MnistClass);

        Assert.Equal(new[] { "NG2005" }, result.Diagnostics.Select(d => d.Id).Distinct());
        Assert.Empty(GeneratorHarness.CompileDiagnostics(output));
        var source = Assert.Single(GeneratorHarness.NetworkSources(result));
        Assert.Equal("MyApp.MnistNet.g.cs", source.HintName);
        Approvals.VerifyWithExtension(source.SourceText.ToString(), ".cs");
    }
}
