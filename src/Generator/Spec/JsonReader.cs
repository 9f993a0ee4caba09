using System;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace NetGen.Generator.Spec;

/// <summary>A JSON syntax error at a span of the text.</summary>
internal sealed class JsonSyntaxError
{
    public JsonSyntaxError(string message, TextSpan span)
    {
        Message = message;
        Span = span;
    }

    public string Message { get; }

    public TextSpan Span { get; }
}

/// <summary>
/// A small strict JSON (RFC 8259) reader that records the span of every value. NetGen ships its own
/// because loading System.Text.Json inside an analyzer conflicts with the versions IDE hosts load.
/// It never throws on bad input: it returns the first syntax error instead.
/// </summary>
internal sealed class JsonReader
{
    /// <summary>Nesting deeper than this is an error rather than a stack overflow.</summary>
    public const int MaxDepth = 64;

    private readonly string _text;
    private int _pos;
    private JsonSyntaxError? _error;

    private JsonReader(string text) => _text = text;

    public static JsonNode? Parse(string text, out JsonSyntaxError? error)
    {
        var reader = new JsonReader(text);
        // A byte-order mark may survive decoding; it is not part of the document.
        if (text.Length > 0 && text[0] == '\uFEFF') reader._pos = 1;
        reader.SkipWhitespace();
        JsonNode? root = reader.ReadValue(0);
        if (root is not null)
        {
            reader.SkipWhitespace();
            if (reader._pos < text.Length) reader.Fail("unexpected text after the end of the document", reader._pos, 1);
        }
        error = reader._error;
        return error is null ? root : null;
    }

    private JsonNode? ReadValue(int depth)
    {
        if (_pos >= _text.Length)
        {
            Fail("unexpected end of file, expected a value", _pos, 0);
            return null;
        }
        if (depth >= MaxDepth) // the root is depth 0, so this allows 64 levels, as System.Text.Json's MaxDepth 64 does
        {
            Fail($"nesting deeper than {MaxDepth} levels", _pos, 1);
            return null;
        }
        char c = _text[_pos];
        switch (c)
        {
            case '{': return ReadObject(depth);
            case '[': return ReadArray(depth);
            case '"': return ReadString();
            case 't': return ReadLiteral("true", JsonKind.True);
            case 'f': return ReadLiteral("false", JsonKind.False);
            case 'n': return ReadLiteral("null", JsonKind.Null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) return ReadNumber();
                Fail($"unexpected character '{Printable(c)}', expected a value", _pos, 1);
                return null;
        }
    }

    private JsonNode? ReadObject(int depth)
    {
        int start = _pos++;
        var properties = new System.Collections.Generic.List<JsonProperty>();
        SkipWhitespace();
        if (Peek() == '}')
        {
            _pos++;
            return Finish(new JsonNode(JsonKind.Object, TextSpan.FromBounds(start, _pos)), properties);
        }
        while (true)
        {
            SkipWhitespace();
            if (Peek() != '"')
            {
                Fail(AtEnd ? "unexpected end of file inside an object" : "expected a property name in double quotes", _pos, AtEnd ? 0 : 1);
                return null;
            }
            JsonNode? name = ReadString();
            if (name is null) return null;
            SkipWhitespace();
            if (Peek() != ':')
            {
                Fail("expected ':' after the property name", _pos, AtEnd ? 0 : 1);
                return null;
            }
            _pos++;
            SkipWhitespace();
            JsonNode? value = ReadValue(depth + 1);
            if (value is null) return null;
            foreach (JsonProperty existing in properties)
            {
                if (existing.Name == name.Text)
                {
                    Fail($"property \"{name.Text}\" appears twice in one object", name.Span.Start, name.Span.Length);
                    return null;
                }
            }
            properties.Add(new JsonProperty(name.Text, name.Span, value));
            SkipWhitespace();
            char c = Peek();
            if (c == ',')
            {
                _pos++;
                continue;
            }
            if (c == '}')
            {
                _pos++;
                return Finish(new JsonNode(JsonKind.Object, TextSpan.FromBounds(start, _pos)), properties);
            }
            Fail(AtEnd ? "unexpected end of file, expected ',' or '}'" : "expected ',' or '}' after a property value", _pos, AtEnd ? 0 : 1);
            return null;
        }
    }

    private static JsonNode Finish(JsonNode node, System.Collections.Generic.List<JsonProperty> properties)
    {
        node.Properties.AddRange(properties);
        return node;
    }

    private JsonNode? ReadArray(int depth)
    {
        int start = _pos++;
        var items = new System.Collections.Generic.List<JsonNode>();
        SkipWhitespace();
        if (Peek() == ']')
        {
            _pos++;
            var empty = new JsonNode(JsonKind.Array, TextSpan.FromBounds(start, _pos));
            return empty;
        }
        while (true)
        {
            SkipWhitespace();
            JsonNode? item = ReadValue(depth + 1);
            if (item is null) return null;
            items.Add(item);
            SkipWhitespace();
            char c = Peek();
            if (c == ',')
            {
                _pos++;
                continue;
            }
            if (c == ']')
            {
                _pos++;
                var array = new JsonNode(JsonKind.Array, TextSpan.FromBounds(start, _pos));
                array.Items.AddRange(items);
                return array;
            }
            Fail(AtEnd ? "unexpected end of file, expected ',' or ']'" : "expected ',' or ']' after an array item", _pos, AtEnd ? 0 : 1);
            return null;
        }
    }

    private JsonNode? ReadString()
    {
        int start = _pos++;
        var sb = new StringBuilder();
        while (true)
        {
            if (AtEnd)
            {
                Fail("unterminated string", start, _pos - start);
                return null;
            }
            char c = _text[_pos];
            if (c == '"')
            {
                _pos++;
                return new JsonNode(JsonKind.String, TextSpan.FromBounds(start, _pos)) { Text = sb.ToString() };
            }
            if (c < ' ')
            {
                Fail(c == '\n' || c == '\r' ? "unterminated string (line break inside a string)" : "control character inside a string", _pos, 1);
                return null;
            }
            if (c != '\\')
            {
                sb.Append(c);
                _pos++;
                continue;
            }
            if (_pos + 1 >= _text.Length)
            {
                Fail("unterminated string", start, _pos - start);
                return null;
            }
            char e = _text[_pos + 1];
            switch (e)
            {
                case '"': sb.Append('"'); break;
                case '\\': sb.Append('\\'); break;
                case '/': sb.Append('/'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u':
                    if (_pos + 6 > _text.Length || !ushort.TryParse(_text.Substring(_pos + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort code))
                    {
                        Fail("invalid \\u escape, expected four hex digits", _pos, Math.Min(6, _text.Length - _pos));
                        return null;
                    }
                    sb.Append((char)code);
                    _pos += 4;
                    break;
                default:
                    Fail($"invalid escape '\\{Printable(e)}'", _pos, 2);
                    return null;
            }
            _pos += 2;
        }
    }

    private JsonNode? ReadNumber()
    {
        int start = _pos;
        if (Peek() == '-') _pos++;
        if (Peek() == '0')
        {
            _pos++;
        }
        else if (IsDigit(Peek()))
        {
            while (IsDigit(Peek())) _pos++;
        }
        else
        {
            Fail("invalid number", start, Math.Max(1, _pos - start));
            return null;
        }
        if (Peek() == '.')
        {
            _pos++;
            if (!IsDigit(Peek()))
            {
                Fail("invalid number: expected a digit after '.'", start, _pos - start);
                return null;
            }
            while (IsDigit(Peek())) _pos++;
        }
        if (Peek() == 'e' || Peek() == 'E')
        {
            _pos++;
            if (Peek() == '+' || Peek() == '-') _pos++;
            if (!IsDigit(Peek()))
            {
                Fail("invalid number: expected a digit in the exponent", start, _pos - start);
                return null;
            }
            while (IsDigit(Peek())) _pos++;
        }
        if (IsDigit(Peek()))
        {
            Fail("invalid number: leading zeros are not allowed", start, _pos - start + 1);
            return null;
        }
        return new JsonNode(JsonKind.Number, TextSpan.FromBounds(start, _pos)) { Text = _text.Substring(start, _pos - start) };
    }

    private JsonNode? ReadLiteral(string word, JsonKind kind)
    {
        int start = _pos;
        if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) != 0)
        {
            int end = _pos;
            while (end < _text.Length && char.IsLetterOrDigit(_text[end])) end++;
            Fail($"unexpected '{_text.Substring(start, Math.Max(1, end - start))}', expected a value (strings need double quotes)", start, Math.Max(1, end - start));
            return null;
        }
        _pos += word.Length;
        return new JsonNode(kind, TextSpan.FromBounds(start, _pos));
    }

    private void SkipWhitespace()
    {
        while (_pos < _text.Length)
        {
            char c = _text[_pos];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            {
                _pos++;
            }
            else if (c == '/' && _pos + 1 < _text.Length && (_text[_pos + 1] == '/' || _text[_pos + 1] == '*'))
            {
                Fail("comments are not allowed in JSON", _pos, 2);
                _pos = _text.Length;
            }
            else
            {
                return;
            }
        }
    }

    private bool AtEnd => _pos >= _text.Length;

    private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

    private static bool IsDigit(char c) => c >= '0' && c <= '9';

    private static string Printable(char c) => c < ' ' || c > '~' ? "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture) : c.ToString();

    private void Fail(string message, int start, int length)
    {
        if (_error is not null) return;
        start = Math.Min(Math.Max(0, start), _text.Length);
        length = Math.Max(0, Math.Min(length, _text.Length - start));
        _error = new JsonSyntaxError(message, new TextSpan(start, length));
    }
}
