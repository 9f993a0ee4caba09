using System;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Language;

namespace NetGen.Generator.Spec;

/// <summary>
/// What a layer kind's unit reads its properties with: typed values of one layer object, each mistake reported at its
/// token (the parser has already checked the layer's type and its property names).
/// </summary>
internal sealed class LayerReader
{
    private readonly SpecParser _parser;

    internal LayerReader(SpecParser parser, JsonNode node, string where, int ordinal)
    {
        _parser = parser;
        Node = node;
        Where = where;
        Ordinal = ordinal;
    }

    /// <summary>The layer's object.</summary>
    public JsonNode Node { get; }

    /// <summary>The layer in words, for messages: <c>layer 2</c>.</summary>
    public string Where { get; }

    /// <summary>How many layers of this kind come before it, plus one (valid or not), for default names.</summary>
    public int Ordinal { get; }

    public JsonProperty? Find(string name) => Node.Find(name);

    /// <summary>A required whole number in [min, max]; a missing one is reported at the layer's brace.</summary>
    public bool RequiredInt(string name, long min, long max, string range, out int value) =>
        _parser.ReadInt(Node, name, Where, null, min, max, range, out value, anchor: new TextSpan(Node.Span.Start, 1));

    /// <summary>A number whose float satisfies <paramref name="valid"/>, or <paramref name="fallback"/> if absent or wrong.</summary>
    public double Number(string name, double fallback, Func<double, bool> valid, string range) =>
        _parser.ReadNumber(Node, name, fallback, valid, range);

    public bool Bool(string name, bool fallback) => _parser.ReadBool(Node, name, fallback);

    /// <summary>
    /// A size given as one whole number (the same both ways) or <c>[height, width]</c>, each in [min, max]; null if absent
    /// (reported when <paramref name="required"/>) or wrong (reported).
    /// </summary>
    public Size2? Size(string name, bool required, int min, string range)
    {
        JsonProperty? property = Node.Find(name);
        if (property is null)
        {
            if (required) Missing(name, SpecMessages.SizeHint);
            return null;
        }
        JsonNode value = property.Value;
        if (value.Kind == JsonKind.Array)
        {
            if (value.Items.Count != 2)
            {
                _parser.Report(DiagnosticDescriptors.WrongType, value.Span, name, SpecMessages.Expected(SpecMessages.SizeForms, $"an array of {value.Items.Count}"));
                return null;
            }
            bool rows = _parser.ReadWholeNumber(value.Items[0], name, min, int.MaxValue, range, out int height);
            bool columns = _parser.ReadWholeNumber(value.Items[1], name, min, int.MaxValue, range, out int width);
            return rows && columns ? new Size2(height, width) : null;
        }
        if (value.Kind != JsonKind.Number)
        {
            _parser.Report(DiagnosticDescriptors.WrongType, value.Span, name, SpecMessages.Expected(SpecMessages.SizeForms, value.Describe()));
            return null;
        }
        return _parser.ReadWholeNumber(value, name, min, int.MaxValue, range, out int size) ? new Size2(size, size) : null;
    }

    /// <summary>Whether the property is the given word (a string equal to it).</summary>
    public bool IsWord(string name, string word) => Node.Find(name) is JsonProperty { Value: { Kind: JsonKind.String } value } && value.Text == word;

    /// <summary>The value of a word property, or <paramref name="fallback"/> if absent, not a string, or not a word of the table (reported).</summary>
    public T Word<T>(string name, WordTable<T> table, string what, T fallback)
        where T : struct, Enum =>
        Node.Find(name) is JsonProperty property ? _parser.ReadWord(property.Value, name, table, what) ?? fallback : fallback;

    /// <summary>An activation word, or null if it is not one (reported); identity if absent.</summary>
    public Activation? Activation(string name = "activation") =>
        Node.Find(name) is JsonProperty property ? _parser.ReadWord(property.Value, name, SpecWords.Activations, "activation") : Language.Activation.Identity;

    /// <summary>Reports a word that is none of <paramref name="valid"/> (NG2005), suggesting the closest.</summary>
    public void Unknown(JsonNode node, string what, System.Collections.Generic.IReadOnlyList<string> valid) =>
        _parser.ReportUnknown(node, what, node.Text, valid);

    /// <summary>Reports a property the layer must have, at the layer's brace.</summary>
    public void Missing(string name, string hint) =>
        _parser.Report(DiagnosticDescriptors.MissingProperty, new TextSpan(Node.Span.Start, 1), Capitalized(Where), name, hint);

    /// <summary>Reports properties that do not go together (NG2007), at <paramref name="span"/>.</summary>
    public void Conflict(TextSpan span, string message) => _parser.Report(DiagnosticDescriptors.ConflictingProperties, span, message);

    private static string Capitalized(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s.Substring(1);
}
