using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// The generator's stages keep to their side: the emitters print plans and never read the parsed spec. Checked on the
/// generator's own sources, compiled here so every name binds to what it really is.
/// </summary>
public class LayeringTests
{
    private const string ModelNamespace = "NetGen.Generator.Model";

    private static string GeneratorFolder()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NetGen.sln"))) return Path.Combine(dir.FullName, "src", "Generator");
        }
        throw new InvalidOperationException("NetGen.sln not found above " + AppContext.BaseDirectory);
    }

    private static CSharpCompilation GeneratorCompilation()
    {
        string folder = GeneratorFolder();
        var trees = Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar) && !p.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar))
            .Select(p => CSharpSyntaxTree.ParseText(File.ReadAllText(p), new CSharpParseOptions(LanguageVersion.Latest), path: p))
            .ToList();
        // The generator references neither the runtime nor this test's other assemblies: leave the runtime out (its NetGen.LossKind
        // would hide the generator's NetGen.Generator.Language.LossKind in the generator's namespaces).
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) != "NetGen.Runtime.dll")
            .Concat(new[] { typeof(SyntaxNode).Assembly.Location, typeof(CSharpSyntaxNode).Assembly.Location })
            .Distinct()
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p));
        return CSharpCompilation.Create("GeneratorUnderTest", trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    [Fact]
    public void The_generator_compiles_here_so_the_check_below_sees_every_name()
    {
        var errors = GeneratorCompilation().GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void Nothing_under_Emit_uses_the_spec_model()
    {
        CSharpCompilation compilation = GeneratorCompilation();
        string emit = Path.Combine(GeneratorFolder(), "Emit") + Path.DirectorySeparatorChar;
        var emitTrees = compilation.SyntaxTrees.Where(t => t.FilePath.StartsWith(emit, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(emitTrees);
        var uses = new List<string>();
        foreach (SyntaxTree tree in emitTrees)
        {
            SemanticModel model = compilation.GetSemanticModel(tree);
            foreach (SyntaxNode node in tree.GetRoot().DescendantNodes().Where(n => n is SimpleNameSyntax or UsingDirectiveSyntax))
            {
                ISymbol? symbol = node is UsingDirectiveSyntax usingDirective
                    ? model.GetSymbolInfo(usingDirective.NamespaceOrType).Symbol
                    : model.GetSymbolInfo(node).Symbol ?? model.GetTypeInfo(node).Type;
                if (symbol is null) continue;
                string where = symbol is INamespaceSymbol ns ? ns.ToDisplayString() : symbol.ContainingNamespace?.ToDisplayString() ?? "";
                if (where == ModelNamespace || where.StartsWith(ModelNamespace + ".", StringComparison.Ordinal))
                    uses.Add($"{Path.GetFileName(tree.FilePath)}({node.GetLocation().GetLineSpan().StartLinePosition.Line + 1}): {node}");
            }
        }
        Assert.True(uses.Count == 0, "Emit/ must print plans, not read the spec model:\n" + string.Join("\n", uses.Distinct()));
    }
}
