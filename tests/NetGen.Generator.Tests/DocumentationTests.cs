using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Language;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// The user-facing documents cannot drift from the code: every diagnostic is documented (with a message that
/// fits its descriptor) and tracked as shipped, and nets.schema.json offers exactly the values and properties
/// the parser accepts (the words and property lists of SpecWords).
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

    /// <summary>A diagnostic of a release is in AnalyzerReleases.Shipped.md; one added since, in Unshipped.md; never in both.</summary>
    [Theory]
    [MemberData(nameof(DiagnosticIds))]
    public void Every_diagnostic_is_tracked_in_AnalyzerReleases_Shipped_md_or_Unshipped_md(string id)
    {
        string[]? shipped = Row(ReadRepoFile("src", "Generator", "Diagnostics", "AnalyzerReleases.Shipped.md"), id);
        string[]? unshipped = Row(ReadRepoFile("src", "Generator", "Diagnostics", "AnalyzerReleases.Unshipped.md"), id);
        Assert.True(shipped is null != (unshipped is null), $"{id} must have a row in exactly one of AnalyzerReleases.Shipped.md and Unshipped.md");
        string[] row = shipped ?? unshipped!;
        DiagnosticDescriptor descriptor = Descriptor(id);
        Assert.Equal(descriptor.Category, row[1]);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), row[2]);
        Assert.Equal(descriptor.Title.ToString(), row[3]);
    }

    [Theory]
    [MemberData(nameof(DiagnosticIds))]
    public void The_message_in_docs_diagnostics_md_fits_the_descriptor(string id)
    {
        // The documented message is what NetGen prints for the example: the descriptor's format with its arguments filled in.
        string[] row = Row(ReadRepoFile("docs", "diagnostics.md"), id)!;
        Assert.True(row is not null && row.Length >= 6, $"docs/diagnostics.md has no full row for {id}");
        string message = row![4];
        Assert.True(message.Length > 2 && message[0] == '`' && message[^1] == '`', $"the message of {id} in docs/diagnostics.md should be one code span");
        string format = Descriptor(id).MessageFormat.ToString();
        string pattern = "^" + string.Concat(Regex.Split(format, @"(\{\d+\})").Select(part => Regex.IsMatch(part, @"^\{\d+\}$") ? ".*" : Regex.Escape(part))) + "$";
        Assert.Matches(pattern, message.Substring(1, message.Length - 2));
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

    private static JsonElement Property(JsonElement schema, string definition, string property) => Definition(schema, definition).GetProperty("properties").GetProperty(property);

    /// <summary>The values a property schema allows with "const" or "enum".</summary>
    private static string[] Values(JsonElement property) => property.TryGetProperty("const", out JsonElement single) ? new[] { single.GetString()! } : Enum(property);

    private static string[] Required(JsonElement objectSchema) => objectSchema.TryGetProperty("required", out JsonElement required) ? required.EnumerateArray().Select(e => e.GetString()!).ToArray() : Array.Empty<string>();

    private static string[] ParserList(string field)
    {
        FieldInfo? info = typeof(SpecWords).GetField(field, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static);
        Assert.True(info is not null, $"SpecWords.{field} not found; update DocumentationTests if it was renamed");
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
        Assert.Equal(SpecWords.Activations.Words, Enum(Property(schema, "network", "activation")));
    }

    [Fact]
    public void Schema_losses_equal_the_parser_losses()
    {
        Assert.Equal(SpecWords.Losses.Words, Enum(Property(Schema(), "network", "loss")));
    }

    [Fact]
    public void Schema_initializers_equal_the_parser_initializers()
    {
        Assert.Equal(SpecWords.Initializers.Words, Enum(Property(Schema(), "dense_layer", "init")));
    }

    [Fact]
    public void Schema_optimizer_types_equal_the_parser_optimizers()
    {
        JsonElement schema = Schema();
        Assert.Equal(SpecWords.Optimizers.Words, Enum(Property(schema, "optimizer", "type")));
        // Each optimizer definition takes its own types, and together they take them all.
        string[] byDefinition = Values(Property(schema, "adam_optimizer", "type")).Concat(Values(Property(schema, "sgd_optimizer", "type"))).ToArray();
        Assert.Equal(SpecWords.Optimizers.Words, byDefinition);
        Assert.Equal(new[] { "sgd" }, Values(Property(schema, "sgd_optimizer", "type")));
    }

    [Fact]
    public void Schema_optimizer_picks_its_definition_by_type()
    {
        JsonElement optimizer = Definition(Schema(), "optimizer");
        Assert.Equal("sgd", optimizer.GetProperty("if").GetProperty("properties").GetProperty("type").GetProperty("const").GetString());
        Assert.Equal("#/$defs/sgd_optimizer", optimizer.GetProperty("then").GetProperty("$ref").GetString());
        Assert.Equal("#/$defs/adam_optimizer", optimizer.GetProperty("else").GetProperty("$ref").GetString());
        Assert.Equal(new[] { "type" }, optimizer.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Schema_schedule_types_equal_the_parser_schedules()
    {
        JsonElement schema = Schema();
        Assert.Equal(SpecWords.Schedules.Words, Enum(Property(schema, "schedule", "type")));
        // One definition per type, in the same order, each taking its own type only.
        string[] alternatives = Definition(schema, "schedule").GetProperty("oneOf").EnumerateArray().Select(e => e.GetProperty("$ref").GetString()!).ToArray();
        Assert.Equal(SpecWords.Schedules.Words.Select(w => $"#/$defs/{w}_schedule"), alternatives);
        foreach (string word in SpecWords.Schedules.Words)
            Assert.Equal(new[] { word }, Values(Property(schema, word + "_schedule", "type")));
    }

    public static TheoryData<string> LayerTypes() => new(SpecWords.LayerTypes);

    [Fact]
    public void Schema_layer_is_one_of_a_definition_per_layer_type()
    {
        JsonElement schema = Schema();
        Assert.Equal("#/$defs/layer", Property(schema, "network", "layers").GetProperty("items").GetProperty("$ref").GetString());
        string[] alternatives = Definition(schema, "layer").GetProperty("oneOf").EnumerateArray().Select(e => e.GetProperty("$ref").GetString()!).ToArray();
        Assert.Equal(SpecWords.LayerTypes.Select(type => $"#/$defs/{type}_layer"), alternatives);
    }

    /// <summary>Each layer kind's definition (<c>{type}_layer</c>): its type word, and exactly the properties its unit reads.</summary>
    [Theory]
    [MemberData(nameof(LayerTypes))]
    public void Schema_layer_definition_has_the_type_word_and_the_properties_its_unit_reads(string type)
    {
        JsonElement definition = Definition(Schema(), type + "_layer");
        Assert.Equal(new[] { type }, Values(definition.GetProperty("properties").GetProperty("type")));
        Layers.LayerUnit unit = Layers.LayerUnits.Find(type)!;
        Assert.Equal(unit.Properties.OrderBy(n => n, StringComparer.Ordinal), PropertyNames(definition).OrderBy(n => n, StringComparer.Ordinal));
        Assert.False(definition.GetProperty("additionalProperties").GetBoolean());
        // "type" may be left out of a dense layer only.
        Assert.Equal(type != SpecWords.DenseLayer, Required(definition).Contains("type"));
        if (definition.GetProperty("properties").TryGetProperty("activation", out JsonElement activation))
            Assert.Equal(SpecWords.Activations.Words, Enum(activation));
        if (definition.GetProperty("properties").TryGetProperty("alpha", out JsonElement alpha))
            Assert.Equal(SpecDefaults.Alpha, alpha.GetProperty("default").GetSingle());
    }

    [Fact]
    public void Schema_defaults_equal_the_parser_defaults()
    {
        JsonElement schema = Schema();
        Assert.Equal("dense", Property(schema, "dense_layer", "type").GetProperty("default").GetString());
        Assert.Equal(SpecWords.Initializers.Words[0], Property(schema, "dense_layer", "init").GetProperty("default").GetString());
        Assert.Equal(SpecWords.Losses.Words[0], Property(schema, "network", "loss").GetProperty("default").GetString());
        Assert.Contains("lr", Required(Definition(schema, "sgd_optimizer")));
        Assert.False(Property(schema, "sgd_optimizer", "lr").TryGetProperty("default", out _), "sgd has no default learning rate");
    }

    [Theory]
    [InlineData(null, "RootProperties")]
    [InlineData("network", "NetworkProperties")]
    [InlineData("adam_optimizer", "AdamProperties")]
    [InlineData("sgd_optimizer", "SgdProperties")]
    [InlineData("training", "TrainingProperties")]
    [InlineData("early_stopping", "EarlyStoppingProperties")]
    [InlineData("step_schedule", "StepScheduleProperties")]
    [InlineData("exponential_schedule", "ExponentialScheduleProperties")]
    [InlineData("cosine_schedule", "CosineScheduleProperties")]
    [InlineData("warmup_cosine_schedule", "WarmupCosineScheduleProperties")]
    [InlineData("reduce_on_plateau_schedule", "ReduceOnPlateauScheduleProperties")]
    public void Schema_properties_equal_the_properties_the_parser_accepts(string? definition, string parserField)
    {
        JsonElement schema = Schema();
        JsonElement objectSchema = definition is null ? schema : Definition(schema, definition);
        Assert.Equal(ParserList(parserField).OrderBy(n => n, StringComparer.Ordinal), PropertyNames(objectSchema).OrderBy(n => n, StringComparer.Ordinal));
        Assert.False(objectSchema.GetProperty("additionalProperties").GetBoolean());
    }

    [Fact]
    public void Every_schema_definition_and_property_has_a_description()
    {
        JsonElement schema = Schema();
        var objects = new List<(string Where, JsonElement Schema)> { ("the root", schema) };
        foreach (System.Text.Json.JsonProperty definition in schema.GetProperty("$defs").EnumerateObject())
        {
            Assert.True(definition.Value.TryGetProperty("description", out _), $"$defs/{definition.Name} has no description");
            objects.Add(("$defs/" + definition.Name, definition.Value));
        }
        foreach (var (where, objectSchema) in objects)
        {
            if (!objectSchema.TryGetProperty("properties", out JsonElement properties)) continue;
            foreach (System.Text.Json.JsonProperty property in properties.EnumerateObject())
                Assert.True(property.Value.TryGetProperty("description", out _), $"\"{property.Name}\" in {where} has no description");
        }
    }

    [Fact]
    public void Nets_json_references_the_schema()
    {
        using JsonDocument nets = JsonDocument.Parse(ReadRepoFile("nets.json"));
        Assert.Equal("./nets.schema.json", nets.RootElement.GetProperty("$schema").GetString());
    }
}
