using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>An AdditionalFiles item whose file is not there: the compiler hands the generator no text.</summary>
public class MissingSpecFileTests
{
    private sealed class MissingText(string path) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText? GetText(CancellationToken cancellationToken = default) => null;
    }

    [Fact]
    public void A_listed_but_missing_nets_json_counts_as_absent_not_as_empty()
    {
        var (result, _) = GeneratorHarness.Run(new AdditionalText[] { new MissingText(GeneratorHarness.SpecPath) }, SourceSnippets.TinyClass);

        // The compiler itself reports CS2001 for the missing file; NetGen adds NG3002, not "the file is empty".
        Assert.Equal(new[] { "NG3002" }, result.Diagnostics.Select(d => d.Id));
    }

    [Fact]
    public void A_missing_file_beside_a_real_one_is_ignored()
    {
        var (result, _) = GeneratorHarness.Run(
            new AdditionalText[] { new MissingText("/project/other.nets.json"), new InMemoryAdditionalText(GeneratorHarness.SpecPath, SourceSnippets.TinySpec) },
            SourceSnippets.TinyClass);

        Assert.Empty(result.Diagnostics);
        Assert.Single(GeneratorHarness.NetworkSources(result));
    }
}
