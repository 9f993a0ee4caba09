using System.Text;

namespace NetGen.Generator.Emit;

/// <summary>
/// Builds indented C# text line by line: four spaces per level, '\n' line ends for byte-identical output everywhere, and
/// no line over <see cref="MaxWidth"/> characters: a longer code line continues after a ", " on the next line, four spaces
/// further in; a longer comment continues after a space, on a comment line of its own.
/// </summary>
internal sealed class SourceWriter
{
    public const int MaxWidth = 140;

    private readonly StringBuilder _builder = new();
    private int _indent;

    public SourceWriter Line(string text = "")
    {
        if (text.Length == 0)
        {
            _builder.Append('\n');
            return this;
        }
        string indent = new(' ', _indent * 4);
        string line = indent + text;
        const string Open = "/// <summary>", Close = "</summary>";
        if (line.Length > MaxWidth && text.StartsWith(Open, System.StringComparison.Ordinal) && text.EndsWith(Close, System.StringComparison.Ordinal))
        {
            // A summary too long for one line gets lines of its own.
            Line(Open);
            Line("/// " + text.Substring(Open.Length, text.Length - Open.Length - Close.Length));
            return Line("/// " + Close);
        }
        string trimmed = text.TrimStart();
        string? comment = trimmed.StartsWith("///", System.StringComparison.Ordinal) ? "/// " : trimmed.StartsWith("//", System.StringComparison.Ordinal) ? "// " : null;
        while (line.Length > MaxWidth)
        {
            int cut = comment is null ? CodeBreak(line) : CommentBreak(line, indent.Length + comment.Length);
            if (cut < 0) break;
            _builder.Append(line, 0, cut).Append('\n');
            string rest = line.Substring(cut).TrimStart();
            line = comment is null ? indent + "    " + rest : indent + comment + rest;
        }
        _builder.Append(line).Append('\n');
        return this;
    }

    /// <summary>Where to break a code line: after the last ", " that fits, outside string and character literals; -1 if none.</summary>
    private static int CodeBreak(string line)
    {
        int cut = -1;
        char quote = '\0';
        for (int i = 0; i < line.Length - 1 && i < MaxWidth; i++)
        {
            char c = line[i];
            if (quote != '\0')
            {
                if (c == '\\') i++;
                else if (c == quote) quote = '\0';
                continue;
            }
            if (c == '"' || c == '\'') quote = c;
            else if (c == '/' && line[i + 1] == '/') break; // a trailing comment is not code
            else if (c == ',' && line[i + 1] == ' ') cut = i + 1;
        }
        return cut;
    }

    /// <summary>Where to break a comment: at the last space that fits, after its first word; -1 if none.</summary>
    private static int CommentBreak(string line, int textStart)
    {
        int cut = line.LastIndexOf(' ', MaxWidth);
        return cut > textStart ? cut : -1;
    }

    /// <summary>Whether <paramref name="text"/> fits on one line at the current indentation.</summary>
    public bool Fits(string text) => _indent * 4 + text.Length <= MaxWidth;

    /// <summary>Writes <paramref name="header"/> (if any) and an opening brace, and indents.</summary>
    public SourceWriter Open(string? header = null)
    {
        if (header is not null) Line(header);
        Line("{");
        _indent++;
        return this;
    }

    /// <summary>Outdents and writes a closing brace (with an optional suffix such as ";").</summary>
    public SourceWriter Close(string suffix = "")
    {
        _indent--;
        return Line("}" + suffix);
    }

    public override string ToString() => _builder.ToString();
}
