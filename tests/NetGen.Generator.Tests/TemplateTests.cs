using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// The `dotnet new netgen-classifier` template (templates/NetGen.Templates) stays in step with the repository: its spec and
/// class pass the generator without a diagnostic, and the package version it references by default is the one the
/// repository packs. (.ci/consumer-test.sh builds and runs a project made from the packed template.)
/// </summary>
public class TemplateTests
{
    private static readonly string Content = Path.Combine(ConsoleProjectBuild.RepoRoot, "templates", "NetGen.Templates", "content", "netgen-classifier");

    [Fact]
    public void The_template_spec_and_class_generate_without_diagnostics()
    {
        string spec = File.ReadAllText(Path.Combine(Content, "nets.json"));
        string classifier = File.ReadAllText(Path.Combine(Content, "Classifier.cs"));
        var (result, output) = GeneratorHarness.Run(spec, classifier);

        Assert.Empty(result.Diagnostics.Select(GeneratorHarness.Describe));
        Assert.Empty(GeneratorHarness.CompileDiagnostics(output).Select(GeneratorHarness.Describe));
        Assert.Contains(output.SyntaxTrees, t => t.ToString().Contains("partial class Classifier", System.StringComparison.Ordinal));
    }

    [Fact]
    public void The_template_references_the_version_the_repository_packs()
    {
        string props = File.ReadAllText(Path.Combine(ConsoleProjectBuild.RepoRoot, "Directory.Build.props"));
        string version = Regex.Match(props, "<Version>([^<]+)</Version>").Groups[1].Value;
        using var template = JsonDocument.Parse(File.ReadAllText(Path.Combine(Content, ".template.config", "template.json")));
        JsonElement symbol = template.RootElement.GetProperty("symbols").GetProperty("NetGenVersion");

        Assert.NotEmpty(version);
        Assert.Equal(version, symbol.GetProperty("defaultValue").GetString());
        Assert.Contains(symbol.GetProperty("replaces").GetString()!, File.ReadAllText(Path.Combine(Content, "NetGenClassifier.csproj")), System.StringComparison.Ordinal);
    }

    [Fact]
    public void The_template_spec_names_the_schema_and_the_data_it_ships()
    {
        using var spec = JsonDocument.Parse(File.ReadAllText(Path.Combine(Content, "nets.json")));
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(ConsoleProjectBuild.RepoRoot, "nets.schema.json")));
        Assert.Equal(schema.RootElement.GetProperty("$id").GetString(), spec.RootElement.GetProperty("$schema").GetString());
        int inputs = spec.RootElement.GetProperty("networks").GetProperty("classifier").GetProperty("input").GetInt32();
        string header = File.ReadLines(Path.Combine(Content, "data", "train.csv")).First();
        string program = File.ReadAllText(Path.Combine(Content, "Program.cs"));
        string label = Regex.Match(program, "const string Label = \"([^\"]+)\"").Groups[1].Value;

        Assert.Contains(label, header.Split(','));
        Assert.Equal(inputs, header.Split(',').Length - 1); // every column but the label is a feature
    }
}
