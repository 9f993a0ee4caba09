using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
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
        string reference = nets.RootElement.GetProperty("$schema").GetString()!;
        Assert.Equal("./nets.schema.json", reference);
        // The path leads to the schema file (the one with the $id), and the schema itself lets the root hold "$schema".
        using JsonDocument referenced = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoRoot.Value, reference)));
        Assert.Equal(SchemaIdFromRepositoryUrl(), referenced.RootElement.GetProperty("$id").GetString());
        Assert.Equal("string", Schema().GetProperty("properties").GetProperty("$schema").GetProperty("type").GetString());
    }

    /// <summary>A property of the PropertyGroups of Directory.Build.props (the package's metadata).</summary>
    private static string BuildProperty(string name) =>
        XDocument.Parse(ReadRepoFile("Directory.Build.props")).Descendants(name).Single().Value.Trim();

    /// <summary>The raw nets.schema.json of the main branch of the repository Directory.Build.props names (a GitHub URL).</summary>
    private static string SchemaIdFromRepositoryUrl()
    {
        var repository = new Uri(BuildProperty("RepositoryUrl"));
        Assert.Equal("github.com", repository.Host);
        return $"https://raw.githubusercontent.com{repository.AbsolutePath.TrimEnd('/')}/main/nets.schema.json";
    }

    [Fact]
    public void Schema_id_is_the_raw_file_of_the_repository()
    {
        Assert.Equal(SchemaIdFromRepositoryUrl(), Schema().GetProperty("$id").GetString());
    }

    /// <summary>Package users cannot say "./nets.schema.json": both READMEs show the "$schema" line with the schema's $id.</summary>
    [Theory]
    [InlineData("README.md")]
    [InlineData("src/Runtime/README.md")]
    public void Readme_shows_the_schema_line_with_the_schema_id(string readme)
    {
        string id = Schema().GetProperty("$id").GetString()!;
        Assert.Contains($"\"$schema\": \"{id}\"", ReadRepoFile(readme.Split('/')));
    }

    [Fact]
    public void License_file_is_the_MIT_license_the_package_declares()
    {
        Assert.Equal("MIT", BuildProperty("PackageLicenseExpression"));
        string license = ReadRepoFile("LICENSE");
        Assert.StartsWith("MIT License", license);
        Assert.Contains("Copyright (c) 2026 NetGen contributors", license);
        Assert.Contains("Permission is hereby granted, free of charge, to any person obtaining a copy", license);
        Assert.Contains("THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND", license);
    }

    /// <summary>
    /// GitHub's anchor of a Markdown heading: lower case, spaces to '-', other punctuation dropped (letters, digits,
    /// '-' and '_' kept); a repeated anchor gets "-1", "-2", ...
    /// </summary>
    private static IReadOnlyList<(string Heading, string Anchor)> Headings(string markdown)
    {
        var headings = new List<(string, string)>();
        var seen = new Dictionary<string, int>();
        bool inCode = false;
        foreach (string raw in markdown.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.StartsWith("```", StringComparison.Ordinal)) inCode = !inCode;
            Match m = Regex.Match(line, "^#{1,6} +(.+?) *#*$");
            if (inCode || !m.Success) continue;
            string text = m.Groups[1].Value.Trim();
            var slug = new StringBuilder();
            foreach (char c in text.ToLowerInvariant())
            {
                if (char.IsLetterOrDigit(c) || c == '-' || c == '_') slug.Append(c);
                else if (c == ' ') slug.Append('-');
            }
            string anchor = slug.ToString();
            if (seen.TryGetValue(anchor, out int count)) { seen[anchor] = count + 1; anchor += "-" + (count + 1); }
            else seen[anchor] = 0;
            headings.Add((text, anchor));
        }
        return headings;
    }

    [Fact]
    public void Github_anchors_follow_githubs_rule()
    {
        var headings = Headings("# NetGen diagnostics\n## What the schema does not catch\n```\n# not a heading\n```\n### NG1001\n## Bands\n## Bands\n## `$schema`, and more!\n");
        Assert.Equal(new[] { "netgen-diagnostics", "what-the-schema-does-not-catch", "ng1001", "bands", "bands-1", "schema-and-more" }, headings.Select(h => h.Anchor));
    }

    /// <summary>Each diagnostic's help link (the id's link in the IDE's error list) opens its own section of docs/diagnostics.md.</summary>
    [Theory]
    [MemberData(nameof(DiagnosticIds))]
    public void Help_link_opens_the_section_of_the_diagnostic_in_docs_diagnostics_md(string id)
    {
        string link = Descriptor(id).HelpLinkUri;
        string page = BuildProperty("RepositoryUrl").TrimEnd('/') + "/blob/main/docs/diagnostics.md#";
        Assert.StartsWith(page, link);
        string anchor = link.Substring(page.Length);
        var headings = Headings(ReadRepoFile("docs", "diagnostics.md")).Where(h => h.Anchor == anchor).ToList();
        Assert.True(headings.Count == 1, $"docs/diagnostics.md has no heading whose anchor is \"{anchor}\" (the help link of {id})");
        Assert.Contains(id, headings[0].Heading);
    }
}
