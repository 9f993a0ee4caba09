using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using nietras.SeparatedValues;

namespace NetGen;

/// <summary>
/// Reads a CSV file of numeric features and a target (class labels or numbers) into a <see cref="CsvTable"/>: the
/// features as one row-major float matrix, parsed straight from the text with no string kept per row.
/// </summary>
/// <remarks>
/// <para>
/// RFC 4180: fields may be quoted (separators, doubled quotes and line breaks inside quotes); CRLF, LF or CR line ends;
/// a UTF-8 byte order mark is skipped; blank lines at the end are ignored. Numbers are read culture-invariantly ("1.5",
/// "-0.5", "1e-3", spaces around allowed); "NaN", "Infinity" and values beyond float's range are refused.
/// </para>
/// <para>
/// Every problem with the content is a <see cref="DataFormatException"/> whose message is one line naming the file and,
/// where there is one, the physical line (1-based, the header counted, line breaks inside quotes counted) and the column:
/// <c>data.csv(line 17, column "age"): "abc" is not a number</c>. Options that contradict themselves (a separator that
/// is a quote, duplicate class names) are an <see cref="ArgumentException"/>.
/// </para>
/// </remarks>
public static class CsvData
{
    /// <summary>Reads the CSV file at <paramref name="path"/> (UTF-8, or the encoding its byte order mark gives).</summary>
    /// <param name="path">The file; error messages name it as given.</param>
    /// <param name="options">How to read it; null for the defaults (a header, the separator detected, the last column the target).</param>
    /// <exception cref="DataFormatException">The file is missing, not a regular file, unreadable, or its content does not fit.</exception>
    /// <exception cref="ArgumentException">The options contradict themselves.</exception>
    public static CsvTable Load(string path, CsvOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new CsvOptions();
        CsvReading.Check(options);
        FileStream file = ReadableFile.OpenData(path);
        using (file)
        using (var text = new StreamReader(file, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, 1 << 16))
        {
            return new CsvReading(path, options).Run(text);
        }
    }

    /// <summary>Reads CSV text from <paramref name="reader"/>, which is left open.</summary>
    /// <param name="reader">The text; a leading byte order mark character (U+FEFF) is skipped.</param>
    /// <param name="displayName">What error messages show as the file.</param>
    /// <param name="options">How to read it; null for the defaults (a header, the separator detected, the last column the target).</param>
    /// <exception cref="DataFormatException">The text cannot be read or its content does not fit.</exception>
    /// <exception cref="ArgumentException">The options contradict themselves.</exception>
    public static CsvTable Read(TextReader reader, string displayName, CsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentException.ThrowIfNullOrEmpty(displayName);
        options ??= new CsvOptions();
        CsvReading.Check(options);
        return new CsvReading(displayName, options).Run(reader);
    }

    /// <summary>
    /// The separator of a first line: the most frequent of ',', ';' and tab outside quotes; ',' on a tie or when none occurs.
    /// </summary>
    internal static char DetectSeparator(ReadOnlySpan<char> firstLine)
    {
        int commas = 0, semicolons = 0, tabs = 0;
        bool quoted = false;
        foreach (char c in firstLine)
        {
            if (c == '"') quoted = !quoted;
            else if (quoted) continue;
            else if (c == ',') commas++;
            else if (c == ';') semicolons++;
            else if (c == '\t') tabs++;
            else if (c is '\n' or '\r') break;
        }
        if (commas >= semicolons && commas >= tabs) return ',';
        return semicolons >= tabs ? ';' : '\t';
    }
}

/// <summary>
/// A reader that first reads the start of another up to the end of its first line (outside quotes), so the separator
/// can be detected from it, then gives that start and the rest as one text. A leading U+FEFF is dropped.
/// </summary>
internal sealed class HeadReader : TextReader
{
    /// <summary>The most read ahead looking for the end of the first line.</summary>
    private const int MaxHead = 1 << 20;

    private readonly TextReader _inner;
    private readonly char[] _head;
    private readonly int _headLength;
    private int _position;

    public HeadReader(TextReader inner)
    {
        _inner = inner;
        char[] buffer = new char[4096];
        int length = 0;
        bool quoted = false, done = false;
        while (!done && length < MaxHead)
        {
            if (length == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
            int n = inner.Read(buffer, length, buffer.Length - length);
            if (n == 0) break;
            for (int i = length; i < length + n; i++)
            {
                char c = buffer[i];
                if (c == '"') quoted = !quoted;
                else if (!quoted && c is '\n' or '\r')
                {
                    done = true;
                    break;
                }
            }
            length += n;
        }
        _head = buffer;
        _headLength = length;
        if (length > 0 && buffer[0] == '\uFEFF') _position = 1;
    }

    /// <summary>The text read ahead (the first line and maybe more), without a byte order mark.</summary>
    public ReadOnlySpan<char> Head => _head.AsSpan(_position, _headLength - _position);

    public override int Read(Span<char> buffer)
    {
        if (_position < _headLength)
        {
            int n = Math.Min(buffer.Length, _headLength - _position);
            _head.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }
        return _inner.Read(buffer);
    }

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read() => _position < _headLength ? _head[_position++] : _inner.Read();

    public override int Peek() => _position < _headLength ? _head[_position] : _inner.Peek();
}
