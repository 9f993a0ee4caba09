using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// The sizes are constants of the generated class, which hide INetwork's properties of the same names: README.md and
/// the constants' XML docs tell users to write <c>MnistNet.InputSize</c>, or <c>((INetwork)net).InputSize</c> through an
/// instance. These forms must keep compiling (and the one they warn about must keep failing, or the docs are stale).
/// </summary>
public class ConstantsAccessTests
{
    private const string DocumentedForms = """
        using NetGen;

        namespace MyApp;

        public static class Use
        {
            public static int Sizes()
            {
                using var net = new MnistNet();
                INetwork typed = net;
                int total = MnistNet.InputSize + MnistNet.OutputSize + MnistNet.ClassCount + MnistNet.ParameterCount;
                total += ((INetwork)net).InputSize + ((INetwork)net).OutputSize + ((INetwork)net).ClassCount + ((INetwork)net).ParameterCount;
                total += typed.InputSize + typed.OutputSize;
                return total + MnistNet.Architecture.Length + MnistNet.SpecHash.Length + ((INetwork)net).SpecHash.Length;
            }
        }
        """;

    [Fact]
    public void The_documented_forms_compile_without_errors()
    {
        var (result, output) = GeneratorHarness.Run(SourceSnippets.MnistSpec, SourceSnippets.MnistClass, DocumentedForms);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.CompileDiagnostics(output).Select(d => d.ToString()));
    }

    [Fact]
    public void The_size_through_an_instance_is_CS0176_as_the_docs_say()
    {
        const string throughInstance = """
            namespace MyApp;

            public static class Use
            {
                public static int Size(MnistNet net) => net.InputSize;
            }
            """;
        var (_, output) = GeneratorHarness.Run(SourceSnippets.MnistSpec, SourceSnippets.MnistClass, throughInstance);
        Assert.Equal(new[] { "CS0176" }, GeneratorHarness.CompileDiagnostics(output).Select(d => d.Id));
    }

    [Fact]
    public void The_constants_xml_docs_show_both_forms()
    {
        var (result, _) = GeneratorHarness.Run(SourceSnippets.MnistSpec, SourceSnippets.MnistClass);
        string generated = GeneratorHarness.NetworkSources(result).Single().SourceText.ToString();
        foreach (string name in new[] { "InputSize", "OutputSize", "ClassCount", "ParameterCount" })
        {
            Assert.Contains($"<c>MnistNet.{name}</c>", generated);
            Assert.Contains($"<c>((INetwork)net).{name}</c>", generated);
        }
    }
}
