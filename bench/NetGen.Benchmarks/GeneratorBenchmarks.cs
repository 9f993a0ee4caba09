using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator;

namespace NetGen.Benchmarks;

/// <summary>
/// Time the source generator takes for the "mnist" network of the repository's nets.json:
/// a cold run (new driver, nothing cached, as in a full build) and a re-run after an unrelated C# edit
/// (as in the IDE or an incremental build, where every pipeline step should come from the cache).
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private const string SpecPath = "/project/nets.json";

    private const string MnistClass = """
        using NetGen;

        namespace UserProject;

        [Network("mnist")]
        public partial class MnistNet;
        """;

    private const string UnrelatedCode = """
        namespace UserProject;

        public static class Helpers
        {
            public static int Answer() => 42;
        }
        """;

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private AdditionalText[] _specs = [];
    private CSharpCompilation _compilation = null!;
    private CSharpCompilation _edited = null!;
    private GeneratorDriver _warmDriver = null!;

    [GlobalSetup]
    public void Setup()
    {
        _specs = [new InMemoryAdditionalText(SpecPath, ReadSpec())];

        SyntaxTree mnistTree = CSharpSyntaxTree.ParseText(MnistClass, ParseOptions, path: "/project/MnistNet.cs");
        SyntaxTree unrelatedTree = CSharpSyntaxTree.ParseText(UnrelatedCode, ParseOptions, path: "/project/Helpers.cs");
        _compilation = CSharpCompilation.Create(
            "UserProject",
            [mnistTree, unrelatedTree],
            References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        // Bind the references once here: that is the compiler's work, not the generator's.
        ThrowOnErrors(_compilation.GetDiagnostics(), "the benchmark compilation");

        // The unrelated edit: 42 -> 43 in Helpers.cs, reparsed incrementally as the IDE would.
        SourceText oldText = unrelatedTree.GetText();
        int at = oldText.ToString().IndexOf("42", StringComparison.Ordinal);
        SyntaxTree editedTree = unrelatedTree.WithChangedText(oldText.WithChanges(new TextChange(new TextSpan(at, 2), "43")));
        _edited = _compilation.ReplaceSyntaxTree(unrelatedTree, editedTree);

        _warmDriver = NewDriver(trackSteps: false).RunGenerators(_compilation);
        CheckColdRun(_warmDriver);
        CheckIncrementalRunIsCached();
    }

    /// <summary>
    /// Everything the generator does for one build: a new driver and generator instance over a compilation
    /// it has never seen. The compilation is a <see cref="Compilation.Clone"/> so that no symbol or binding
    /// cached by an earlier invocation is reused (the clone shares only the parsed trees and the bound references).
    /// </summary>
    [Benchmark]
    public GeneratorDriver ColdMnist() => NewDriver(trackSteps: false).RunGenerators(_compilation.Clone());

    /// <summary>The warm driver of the original compilation re-run after an unrelated edit: nothing should be re-emitted.</summary>
    [Benchmark]
    public GeneratorDriver IncrementalUnrelatedEdit() => _warmDriver.RunGenerators(_edited.Clone());

    private GeneratorDriver NewDriver(bool trackSteps) => CSharpGeneratorDriver.Create(
        [new NetworkGenerator().AsSourceGenerator()],
        _specs,
        ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    private static string ReadSpec()
    {
        const string name = "NetGen.Benchmarks.nets.json";
        using Stream stream = typeof(GeneratorBenchmarks).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded resource {name} (the repository's nets.json) is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The framework's assemblies plus NetGen.Runtime (for [Network]) and MathNet, as a project using NetGen has.</summary>
    private static ImmutableArray<MetadataReference> References()
    {
        string frameworkDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => string.Equals(Path.GetDirectoryName(p), frameworkDir, StringComparison.Ordinal))
            .ToList();
        paths.Add(typeof(NetworkAttribute).Assembly.Location);
        paths.Add(typeof(MathNet.Numerics.LinearAlgebra.Matrix<float>).Assembly.Location);
        return paths.Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    }

    private static void CheckColdRun(GeneratorDriver driver)
    {
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        if (result.Exception is not null) throw new InvalidOperationException("The generator threw.", result.Exception);
        ThrowOnErrors(result.Diagnostics, "the generator");
        if (result.GeneratedSources.Length != 1 || !result.GeneratedSources[0].SourceText.ToString().Contains("partial class MnistNet", StringComparison.Ordinal))
            throw new InvalidOperationException($"Expected one generated file for MnistNet, got: {string.Join(", ", result.GeneratedSources.Select(s => s.HintName))}");
    }

    /// <summary>The incremental benchmark only means something if the edit really leaves every output cached.</summary>
    private void CheckIncrementalRunIsCached()
    {
        GeneratorDriver driver = NewDriver(trackSteps: true).RunGenerators(_compilation).RunGenerators(_edited);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        var reasons = result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        if (reasons.Count == 0 || reasons.Any(r => r != IncrementalStepRunReason.Cached))
            throw new InvalidOperationException($"The unrelated edit re-ran generator outputs: {string.Join(", ", reasons)}");
    }

    private static void ThrowOnErrors(ImmutableArray<Diagnostic> diagnostics, string what)
    {
        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0) throw new InvalidOperationException($"Errors from {what}: {string.Join("; ", errors)}");
    }

    /// <summary>The spec as the compiler passes an AdditionalFile to the generator: a new text per read, as from disk.</summary>
    private sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }
}
