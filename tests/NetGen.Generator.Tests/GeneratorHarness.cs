using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator;

namespace NetGen.Generator.Tests;

/// <summary>An AdditionalText held in memory, as a project's nets.json would be.</summary>
internal sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
{
    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
}

/// <summary>Runs <see cref="NetworkGenerator"/> over C# sources and spec files the way the compiler does.</summary>
internal static class GeneratorHarness
{
    public const string SpecPath = "/project/nets.json";

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        // The running framework's assemblies plus NetGen.Runtime and MathNet, which generated code uses.
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(System.IO.Path.PathSeparator).ToList();
        paths.Add(typeof(INetwork).Assembly.Location);
        paths.Add(typeof(MathNet.Numerics.LinearAlgebra.Matrix<float>).Assembly.Location);
        return paths.Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    });

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    public static CSharpCompilation Compilation(params string[] sources) => CSharpCompilation.Create(
        "UserProject",
        sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"/project/File{i}.cs")),
        References.Value,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver Driver(params AdditionalText[] specs) => CSharpGeneratorDriver.Create(
        new[] { new NetworkGenerator().AsSourceGenerator() },
        specs,
        ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator once and returns its result and the compilation with the generated code.</summary>
    public static (GeneratorRunResult Result, Compilation Output) Run(string spec, params string[] sources)
        => Run(new[] { new InMemoryAdditionalText(SpecPath, spec) }, sources);

    public static (GeneratorRunResult Result, Compilation Output) Run(AdditionalText[] specs, params string[] sources)
    {
        GeneratorDriver driver = Driver(specs).RunGeneratorsAndUpdateCompilation(Compilation(sources), out Compilation output, out _);
        return (driver.GetRunResult().Results.Single(), output);
    }

    /// <summary>The generated sources except the registration of the networks (NetworkRegistration.g.cs): each network's code, and a catalog.</summary>
    public static ImmutableArray<GeneratedSourceResult> NetworkSources(GeneratorRunResult result) =>
        result.GeneratedSources.Where(s => s.HintName != "NetworkRegistration.g.cs").ToImmutableArray();

    /// <summary>Compiler errors and warnings of the compilation including generated code.</summary>
    public static IReadOnlyList<Diagnostic> CompileDiagnostics(Compilation compilation) =>
        compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();

    /// <summary>"NG1001@3:7" for a diagnostic at line 3, column 7 (1-based, as dotnet build prints it).</summary>
    public static string Describe(Diagnostic d)
    {
        LinePosition start = d.Location.GetLineSpan().StartLinePosition;
        return $"{d.Id}@{start.Line + 1}:{start.Character + 1}";
    }
}
