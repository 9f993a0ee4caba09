using System.Collections.Generic;
using Microsoft.CodeAnalysis.Text;

namespace NetGen.Generator.Spec;

internal enum JsonKind
{
    Object,
    Array,
    String,
    Number,
    True,
    False,
    Null,
}

/// <summary>A parsed JSON value with the character span it came from, so diagnostics can point at it.</summary>
internal sealed class JsonNode
{
    public JsonNode(JsonKind kind, TextSpan span)
    {
        Kind = kind;
        Span = span;
    }

    public JsonKind Kind { get; }

    public TextSpan Span { get; }

    /// <summary>The decoded string for <see cref="JsonKind.String"/>, the source text for <see cref="JsonKind.Number"/>.</summary>
    public string Text { get; set; } = "";

    public List<JsonProperty> Properties { get; } = new();

    public List<JsonNode> Items { get; } = new();

    public JsonProperty? Find(string name)
    {
        foreach (JsonProperty property in Properties)
        {
            if (property.Name == name) return property;
        }
        return null;
    }

    /// <summary>How the kind reads in a message: "an object", "a string", ...</summary>
    public string Describe() => Kind switch
    {
        JsonKind.Object => "an object",
        JsonKind.Array => "an array",
        JsonKind.String => "a string",
        JsonKind.Number => "a number",
        JsonKind.Null => "null",
        _ => "a boolean",
    };
}

/// <summary>One <c>"name": value</c> member of a JSON object.</summary>
internal sealed class JsonProperty
{
    public JsonProperty(string name, TextSpan nameSpan, JsonNode value)
    {
        Name = name;
        NameSpan = nameSpan;
        Value = value;
    }

    public string Name { get; }

    public TextSpan NameSpan { get; }

    public JsonNode Value { get; }
}
