using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>Each mistake in nets.json or in the C# binding gives its NG error at the offending token.</summary>
public class DiagnosticTests
{
    private static string[] Errors(string spec, string source = SourceSnippets.TinyClass)
    {
        var (result, _) = GeneratorHarness.Run(spec, source);
        Assert.Null(result.Exception);
        return result.Diagnostics.Select(GeneratorHarness.Describe).ToArray();
    }

    [Theory]
    // Line and column are 1-based, as dotnet build prints them.
    [InlineData("{ \"networks\": { \"tiny\": { \"shape\": \"5-7-3\" } }", "NG1001@1:47")]            // missing closing brace: the error is at the end
    [InlineData("{ \"networks\": {\n  \"tiny\": { \"shape\": \"5-7-3\", }\n} }", "NG1001@2:31")]   // trailing comma
    [InlineData("{ \"networks\": { \"tiny\": { shape: \"5-7-3\" } } }", "NG1001@1:27")]              // unquoted name
    [InlineData("", "NG1001@1:1")]                                                               // empty file
    [InlineData("{ \"networks\": { \"tiny\": { \"shape\": \"5-7-3\" } } } x", "NG1001@1:50")]          // trailing text
    public void Malformed_json_is_NG1001_at_the_error(string spec, string expected)
    {
        Assert.Equal(new[] { expected }, Errors(spec));
    }

    [Fact]
    public void Non_positive_units_is_NG2004_at_the_value()
    {
        string spec = """
            { "networks": { "tiny": {
                "input": 5,
                "layers": [ { "units": 0, "activation": "relu" }, { "units": 3 } ] } } }
            """;
        Assert.Equal(new[] { "NG2004@3:28" }, Errors(spec));
    }

    [Theory]
    [InlineData("{ \"networks\": { \"tiny\": { \"input\": -5, \"layers\": [ { \"units\": 3 } ] } } }", "NG2004@1:36")]
    [InlineData("{ \"networks\": { \"tiny\": { \"input\": 5.5, \"layers\": [ { \"units\": 3 } ] } } }", "NG2003@1:36")]
    [InlineData("{ \"networks\": { \"tiny\": { \"input\": \"5\", \"layers\": [ { \"units\": 3 } ] } } }", "NG2003@1:36")]
    [InlineData("{ \"networks\": { \"tiny\": { \"shape\": \"5-0-3\" } } }", "NG2006@1:36")]
    [InlineData("{ \"networks\": { \"tiny\": { \"shape\": \"5\" } } }", "NG2006@1:36")]
    [InlineData("{ \"networks\": { \"tiny\": { \"shape\": \"5-3\", \"activation\": \"rellu\" } } }", "NG2005@1:57")]
    [InlineData("{ \"networks\": { \"tiny\": { \"shape\": \"5-3\", \"loss\": \"mse2\" } } }", "NG2005@1:51")]
    [InlineData("{ \"networks\": { \"tiny\": { \"shape\": \"5-3\", \"optimizer\": { \"type\": \"adam\", \"lr\": 0 } } } }", "NG2004@1:80")]
    [InlineData("{ \"networks\": { \"tiny\": { \"shape\": \"5-3\", \"optimiser\": {} } } }", "NG2002@1:43")]
    [InlineData("{ \"networks\": { \"tiny\": { \"input\": 5, \"layers\": [] } } }", "NG2004@1:49")]
    [InlineData("{ \"networks\": { \"tiny\": { \"input\": 5 } } }", "NG2001@1:17")]
    [InlineData("{ \"networks\": { \"tiny\": { \"shape\": \"5-3\", \"layers\": [ { \"units\": 3 } ] } } }", "NG2007@1:27")]
    [InlineData("{ \"networks\": { \"tiny\": { \"shape\": \"5-1\" } } }", "NG2010@1:36")]                  // cross_entropy needs 2 outputs
    [InlineData("{ \"networks\": { \"tiny\": { \"input\": 5, \"layers\": [ { \"units\": 1 } ] } } }", "NG2010@1:62")]
    [InlineData("{ \"networks\": { \"tiny\": { \"shape\": \"5-3\", \"optimizer\": { \"type\": \"adam\", \"lr\": 1e-50 } } } }", "NG2004@1:80")]   // 0 as a float
    [InlineData("{ \"networks\": { \"tiny\": { \"shape\": \"5-3\", \"optimizer\": { \"type\": \"adam\", \"beta1\": 0.99999999999 } } } }", "NG2004@1:83")] // 1 as a float
    [InlineData("{ \"networks\": { \"tiny\": { \"shape\": \"5-3\", \"optimizer\": { \"type\": \"adam\", \"eps\": 0 } } } }", "NG2004@1:81")]
    [InlineData("{ \"networks\": { \"tiny\": { \"input\": 5, \"layers\": [ { \"units\": 4 }, { \"name\": \"fc_1\", \"units\": 3 } ] } } }", "NG2008@1:77")]
    [InlineData("{ \"networks\": { \"tiny\": { \"shape\": \"100000-2000-2\" } } }", "NG2009@1:17")]
    public void Semantic_errors_point_at_the_value(string spec, string expected)
    {
        Assert.Equal(new[] { expected }, Errors(spec));
    }

    [Fact]
    public void Unknown_property_suggests_the_near_miss()
    {
        var (result, _) = GeneratorHarness.Run("{ \"networks\": { \"tiny\": { \"shape\": \"5-3\", \"optimiser\": {} } } }", SourceSnippets.TinyClass);
        Diagnostic d = Assert.Single(result.Diagnostics);
        Assert.Contains("did you mean \"optimizer\"?", d.GetMessage());
    }

    [Fact]
    public void Unknown_network_name_is_NG3001_at_the_attribute_argument_and_lists_the_networks()
    {
        string source = "using NetGen;\nnamespace MyApp;\n[Network(\"mnsit\")]\npublic partial class MnistNet;";
        var (result, _) = GeneratorHarness.Run(SourceSnippets.MnistSpec, source);
        Diagnostic d = Assert.Single(result.Diagnostics);
        Assert.Equal("NG3001@3:10", GeneratorHarness.Describe(d));
        Assert.Equal("/project/File0.cs", d.Location.GetLineSpan().Path);
        Assert.Contains("\"mnist\"", d.GetMessage());
        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void A_network_with_errors_is_reported_once_not_also_as_missing()
    {
        Assert.Equal(new[] { "NG2006@1:36" }, Errors("{ \"networks\": { \"tiny\": { \"shape\": \"5-x\" } } }"));
    }

    [Fact]
    public void Class_without_partial_is_NG3003()
    {
        var (result, _) = GeneratorHarness.Run(SourceSnippets.TinySpec, "[NetGen.Network(\"tiny\")]\nclass TinyNet { }");
        Assert.Equal(new[] { "NG3003@2:7" }, result.Diagnostics.Select(GeneratorHarness.Describe));
        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void Nested_class_is_NG3004()
    {
        var (result, _) = GeneratorHarness.Run(SourceSnippets.TinySpec, "partial class Outer {\n [NetGen.Network(\"tiny\")] partial class TinyNet; }");
        Assert.Equal(new[] { "NG3004@2:41" }, result.Diagnostics.Select(GeneratorHarness.Describe));
    }

    [Fact]
    public void No_nets_json_is_NG3002()
    {
        var (result, _) = GeneratorHarness.Run(System.Array.Empty<Microsoft.CodeAnalysis.AdditionalText>(), SourceSnippets.TinyClass);
        Assert.Equal(new[] { "NG3002@5:10" }, result.Diagnostics.Select(GeneratorHarness.Describe));
    }

    [Fact]
    public void The_same_network_in_two_spec_files_is_NG3005()
    {
        var specs = new Microsoft.CodeAnalysis.AdditionalText[]
        {
            new InMemoryAdditionalText("/project/nets.json", SourceSnippets.TinySpec),
            new InMemoryAdditionalText("/project/more.nets.json", SourceSnippets.TinySpec),
        };
        var (result, _) = GeneratorHarness.Run(specs, SourceSnippets.TinyClass);
        Diagnostic d = Assert.Single(result.Diagnostics);
        Assert.Equal("NG3005@5:10", GeneratorHarness.Describe(d));
        Assert.Contains("nets.json and more.nets.json", d.GetMessage());
        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void One_network_may_back_several_classes_each_in_its_own_file()
    {
        string source = "namespace A { [NetGen.Network(\"tiny\")] partial class Net; }\nnamespace B { [NetGen.Network(\"tiny\")] partial class Net; }";
        var (result, output) = GeneratorHarness.Run(SourceSnippets.TinySpec, source);
        Assert.Empty(result.Diagnostics);
        Assert.Equal(new[] { "A.Net.g.cs", "B.Net.g.cs" }, result.GeneratedSources.Select(s => s.HintName).OrderBy(n => n));
        Assert.Empty(GeneratorHarness.CompileDiagnostics(output));
    }

    [Fact]
    public void Only_nets_json_files_are_read()
    {
        var specs = new Microsoft.CodeAnalysis.AdditionalText[]
        {
            new InMemoryAdditionalText("/project/other.json", "not json at all"),
            new InMemoryAdditionalText("/project/extra.nets.json", SourceSnippets.TinySpec),
        };
        var (result, _) = GeneratorHarness.Run(specs, SourceSnippets.TinyClass);
        Assert.Empty(result.Diagnostics);
        Assert.Single(result.GeneratedSources);
    }

    [Fact]
    public void Every_truncation_of_a_valid_spec_gives_errors_never_a_crash()
    {
        string spec = SourceSnippets.MnistSpec;
        for (int length = 0; length < spec.Length; length++)
        {
            var (result, _) = GeneratorHarness.Run(spec.Substring(0, length), SourceSnippets.MnistClass);
            Assert.Null(result.Exception);
            Assert.Contains(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error && d.Id.StartsWith("NG", System.StringComparison.Ordinal));
        }
    }
}
