using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Spec;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// The user-facing documents cannot drift from the code: every diagnostic is documented and tracked
/// for release, and nets.schema.json offers exactly the values and properties SpecParser accepts.
/// </summary>
public class DocumentationTests
{
    private static readonly Lazy<string> RepoRoot = new(() =>
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NetGen.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("NetGen.sln not found above " + AppContext.BaseDirectory);
    });

    private static string ReadRepoFile(params string[] parts) => File.ReadAllText(Path.Combine(new[] { RepoRoot.Value }.Concat(parts).ToArray()));

    private static IReadOnlyList<DiagnosticDescriptor> Descriptors() => typeof(DiagnosticDescriptors)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .ToList();

    public static TheoryData<string> DiagnosticIds()
    {
        var data = new TheoryData<string>();
        foreach (DiagnosticDescriptor descriptor in Descriptors()) data.Add(descriptor.Id);
        return data;
    }

    private static DiagnosticDescriptor Descriptor(string id) => Descriptors().Single(d => d.Id == id);

    /// <summary>The cells of the Markdown table row that starts with <paramref name="id"/>, or null.</summary>
    private static string[]? Row(string markdown, string id) => markdown
        .Split('\n')
        .Select(line => line.Trim().Trim('|').Split('|').Select(cell => cell.Trim()).ToArray())
        .FirstOrDefault(cells => cells[0] == id);

    [Fact]
    public void Descriptors_are_found_and_ids_are_unique()
    {
        IReadOnlyList<DiagnosticDescriptor> descriptors = Descriptors();
        Assert.NotEmpty(descriptors);
        Assert.Equal(descriptors.Count, descriptors.Select(d => d.Id).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(DiagnosticIds))]
    public void Every_diagnostic_has_a_row_in_docs_diagnostics_md(string id)
    {
        string[]? row = Row(ReadRepoFile("docs", "diagnostics.md"), id);
        Assert.True(row is not null, $"docs/diagnostics.md has no table row for {id}");
        Assert.True(row!.Length >= 6, $"the row for {id} in docs/diagnostics.md should have id, severity, trigger, example, message and fix");
        Assert.Equal(Descriptor(id).DefaultSeverity.ToString(), row[1]);
    }

    [Theory]
    [MemberData(nameof(DiagnosticIds))]
    public void Every_diagnostic_is_tracked_in_AnalyzerReleases_Unshipped_md(string id)
    {
        string[]? row = Row(ReadRepoFile("src", "Generator", "Diagnostics", "AnalyzerReleases.Unshipped.md"), id);
        Assert.True(row is not null, $"AnalyzerReleases.Unshipped.md has no row for {id}");
        DiagnosticDescriptor descriptor = Descriptor(id);
        Assert.Equal(descriptor.Category, row![1]);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), row[2]);
    }

    [Fact]
    public void Docs_list_no_diagnostic_the_generator_does_not_have()
    {
        var known = new HashSet<string>(Descriptors().Select(d => d.Id));
        string[] documented = ReadRepoFile("docs", "diagnostics.md")
            .Split('\n')
            .Select(line => line.Trim().Trim('|').Split('|')[0].Trim())
            .Where(cell => cell.Length == 6 && cell.StartsWith("NG", StringComparison.Ordinal) && cell.Skip(2).All(char.IsDigit))
            .ToArray();
        Assert.DoesNotContain(documented, id => !known.Contains(id));
        Assert.Equal(documented.Length, documented.Distinct().Count());
    }

    private static JsonElement Schema()
    {
        using JsonDocument document = JsonDocument.Parse(ReadRepoFile("nets.schema.json"));
        return document.RootElement.Clone();
    }

    private static JsonElement Definition(JsonElement schema, string name) => schema.GetProperty("$defs").GetProperty(name);

    private static string[] Enum(JsonElement property) => property.GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).ToArray();

    private static string[] PropertyNames(JsonElement objectSchema) => objectSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToArray();

    private static string[] ParserList(string field)
    {
        FieldInfo? info = typeof(SpecParser).GetField(field, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static);
        Assert.True(info is not null, $"SpecParser.{field} not found; update DocumentationTests if it was renamed");
        return (string[])info!.GetValue(null)!;
    }

    [Fact]
    public void Schema_is_json_schema_2020_12()
    {
        JsonElement schema = Schema();
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema.GetProperty("$schema").GetString());
        Assert.Equal("object", schema.GetProperty("type").GetString());
    }

    [Fact]
    public void Schema_activations_equal_the_parser_activations()
    {
        JsonElement schema = Schema();
        Assert.Equal(SpecParser.Activations, Enum(Definition(schema, "layer").GetProperty("properties").GetProperty("activation")));
        Assert.Equal(SpecParser.Activations, Enum(Definition(schema, "network").GetProperty("properties").GetProperty("activation")));
    }

    [Fact]
    public void Schema_losses_equal_the_parser_losses()
    {
        Assert.Equal(SpecParser.Losses, Enum(Definition(Schema(), "network").GetProperty("properties").GetProperty("loss")));
    }

    [Fact]
    public void Schema_optimizer_type_equals_the_parser_optimizers()
    {
        JsonElement type = Definition(Schema(), "optimizer").GetProperty("properties").GetProperty("type");
        string[] schemaOptimizers = type.TryGetProperty("const", out JsonElement single) ? new[] { single.GetString()! } : Enum(type);
        Assert.Equal(SpecParser.Optimizers, schemaOptimizers);
    }

    [Theory]
    [InlineData(null, "RootProperties")]
    [InlineData("network", "NetworkProperties")]
    [InlineData("layer", "LayerProperties")]
    [InlineData("optimizer", "OptimizerProperties")]
    [InlineData("training", "TrainingProperties")]
    public void Schema_properties_equal_the_properties_the_parser_accepts(string? definition, string parserField)
    {
        JsonElement schema = Schema();
        JsonElement objectSchema = definition is null ? schema : Definition(schema, definition);
        Assert.Equal(ParserList(parserField).OrderBy(n => n, StringComparer.Ordinal), PropertyNames(objectSchema).OrderBy(n => n, StringComparer.Ordinal));
        Assert.False(objectSchema.GetProperty("additionalProperties").GetBoolean());
        foreach (System.Text.Json.JsonProperty property in objectSchema.GetProperty("properties").EnumerateObject())
            Assert.True(property.Value.TryGetProperty("description", out _), $"\"{property.Name}\" in {definition ?? "the root"} has no description");
    }

    [Fact]
    public void Nets_json_references_the_schema()
    {
        using JsonDocument nets = JsonDocument.Parse(ReadRepoFile("nets.json"));
        Assert.Equal("./nets.schema.json", nets.RootElement.GetProperty("$schema").GetString());
    }
}
