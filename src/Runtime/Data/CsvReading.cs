using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using nietras.SeparatedValues;

namespace NetGen;

/// <summary>One read of a CSV text into a <see cref="CsvTable"/> (see <see cref="CsvData"/> for the rules).</summary>
internal sealed class CsvReading
{
    /// <summary>The most distinct labels of a target column read as class labels (a column of ids would be millions).</summary>
    internal const int MaxClasses = 1 << 16;

    /// <summary>The characters a number can have: anything else (a letter, a comma) is not one, whatever the parser says.</summary>
    private static readonly SearchValues<char> NumberChars = SearchValues.Create("0123456789.+-eE \t");

    private enum TargetKind { None, Regression, Classification, Undecided }

    private readonly string _name;
    private readonly CsvOptions _options;

    private string[]? _names;
    private int[] _featureColumns = Array.Empty<int>();
    private int[] _targetColumns = Array.Empty<int>();
    private TargetKind _kind;
    private RowChunks<float>? _features;
    private RowChunks<float>? _targets;
    private RowChunks<int>? _labels;
    private Dictionary<string, int>? _classes;
    private List<string>? _classList;
    private int _blankLine;
    private int _line;

    public CsvReading(string name, CsvOptions options)
    {
        _name = name;
        _options = options;
    }

    /// <summary>Refuses options that contradict themselves, before any reading.</summary>
    public static void Check(CsvOptions options)
    {
        if (!Enum.IsDefined(options.Task)) throw new ArgumentException($"unknown task {options.Task}", nameof(options));
        if (options.Separator is char separator)
        {
            if (separator is '"' or '\r' or '\n' or '\0')
                throw new ArgumentException($"the separator cannot be U+{(int)separator:X4}", nameof(options));
            try
            {
                _ = new Sep(separator);
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"the separator cannot be U+{(int)separator:X4}: {ex.Message}", nameof(options), ex);
            }
        }
        CheckList(options.Targets, nameof(CsvOptions.Targets));
        CheckList(options.Features, nameof(CsvOptions.Features));
        CheckList(options.Ignore, nameof(CsvOptions.Ignore));
        if (options.ClassNames is { } classes)
        {
            CheckList(classes, nameof(CsvOptions.ClassNames));
            if (options.Task == CsvTask.Regression)
                throw new ArgumentException("ClassNames are given but Task is Regression", nameof(options));
            if (classes.Count == 0) throw new ArgumentException("ClassNames is empty", nameof(options));
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (string name in classes)
            {
                if (!seen.Add(name)) throw new ArgumentException($"ClassNames lists \"{name}\" twice", nameof(options));
            }
        }
    }

    private static void CheckList(IReadOnlyList<string>? list, string what)
    {
        if (list is null) return;
        foreach (string? item in list)
        {
            if (item is null) throw new ArgumentException($"{what} holds null", "options");
        }
    }

    public CsvTable Run(TextReader text)
    {
        using var head = Wrap(() => new HeadReader(text));
        if (head.Head.IsEmpty) throw new DataFormatException(_name, "empty file");
        char separator = _options.Separator ?? CsvData.DetectSeparator(head.Head);
        using SepReader reader = Wrap(() => Sep.Reader(o => o with
        {
            HasHeader = false,
            Unescape = true,
            DisableColCountCheck = true,
            CultureInfo = CultureInfo.InvariantCulture,
            Sep = new Sep(separator),
        }).From(head));
        while (MoveNext(reader))
        {
            SepReader.Row row = reader.Current;
            // Sep numbers the first row's lines from where it ends (a Sep 0.17.1 quirk); the first row starts at line 1.
            _line = row.RowIndex == 0 ? 1 : row.LineNumberFrom;
            if (row.Span.IsWhiteSpace())
            {
                if (_blankLine == 0) _blankLine = _line;
                continue;
            }
            if (_blankLine != 0)
            {
                string expected = _names is null ? "" : $", expected {_names.Length} {Cells(_names.Length)} {AsIn()}";
                throw new DataFormatException(_name, $"line {_blankLine}", "empty line" + expected);
            }
            if (_names is null)
            {
                Start(row);
                if (_options.HasHeader) continue;
            }
            if (row.ColCount != _names!.Length)
            {
                throw new DataFormatException(_name, $"line {_line}",
                    $"{row.ColCount} {Cells(row.ColCount)}, expected {_names.Length} {AsIn()}");
            }
            Add(row);
        }
        if (_names is null) throw new DataFormatException(_name, "empty file");
        return Finish();
    }

    private string AsIn() => _options.HasHeader ? "(as in the header)" : "(as in line 1)";

    private static string Cells(int count) => count == 1 ? "cell" : "cells";

    /// <summary>The next row from Sep (no delegate: this runs once a row).</summary>
    private bool MoveNext(SepReader reader)
    {
        try
        {
            return reader.MoveNext();
        }
        catch (Exception ex) when (ex is not (DataFormatException or OutOfMemoryException))
        {
            throw Wrapped(ex);
        }
    }

    /// <summary>Runs a call into Sep or the text reader, turning what they throw into a <see cref="DataFormatException"/>.</summary>
    private T Wrap<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (Exception ex) when (ex is not (DataFormatException or OutOfMemoryException))
        {
            throw Wrapped(ex);
        }
    }

    private DataFormatException Wrapped(Exception ex)
    {
        string problem = (ex is IOException ? "cannot read: " : "unreadable CSV: ") + ex.Message;
        return _line == 0 ? new DataFormatException(_name, problem, ex) : new DataFormatException(_name, $"after line {_line}", problem, ex);
    }

    /// <summary>The first row: the column names (or only their count), and which columns are features and targets.</summary>
    private void Start(SepReader.Row row)
    {
        var names = new string[row.ColCount];
        for (int i = 0; i < names.Length; i++)
        {
            string name = _options.HasHeader ? row[i].Span.Trim().ToString() : "";
            names[i] = name.Length > 0 ? name : i.ToString(CultureInfo.InvariantCulture);
        }
        _names = names;

        var ignore = new HashSet<int>();
        foreach (string spec in _options.Ignore ?? Array.Empty<string>()) ignore.Add(Find(spec));
        int[] targets = _options.Targets is { } targetSpecs ? Resolve(targetSpecs, "target") : new[] { names.Length - 1 };
        foreach (int t in targets)
        {
            if (ignore.Contains(t)) throw Fail($"column {Show(names[t])} is both a target and ignored");
        }
        int[] features;
        if (_options.Features is { } featureSpecs)
        {
            features = Resolve(featureSpecs, "feature");
            foreach (int f in features)
            {
                if (targets.Contains(f)) throw Fail($"column {Show(names[f])} is both a feature and a target");
                if (ignore.Contains(f)) throw Fail($"column {Show(names[f])} is both a feature and ignored");
            }
        }
        else
        {
            features = Enumerable.Range(0, names.Length).Where(i => !ignore.Contains(i) && !targets.Contains(i)).ToArray();
        }
        if (features.Length == 0)
            throw Fail($"no feature columns: every column is a target or ignored (columns: {List(names)})");

        _featureColumns = features;
        _targetColumns = targets;
        _features = new RowChunks<float>(features.Length);
        bool classification = _options.Task == CsvTask.Classification || _options.ClassNames is not null;
        if (targets.Length == 0) _kind = TargetKind.None;
        else if (classification && targets.Length > 1)
            throw Fail($"classification needs one target column, not {targets.Length} ({string.Join(", ", targets.Select(t => names[t]))})");
        else if (classification) _kind = TargetKind.Classification;
        else if (_options.Task == CsvTask.Regression || targets.Length > 1) _kind = TargetKind.Regression;
        else _kind = TargetKind.Undecided;

        if (_kind is TargetKind.Regression or TargetKind.Undecided) _targets = new RowChunks<float>(targets.Length);
        if (_kind is TargetKind.Classification or TargetKind.Undecided)
        {
            _labels = new RowChunks<int>(1);
            _classes = new Dictionary<string, int>(StringComparer.Ordinal);
            _classList = new List<string>();
            if (_options.ClassNames is { } given)
            {
                foreach (string name in given)
                {
                    _classes.Add(name, _classList.Count);
                    _classList.Add(name);
                }
            }
        }
    }

    private int[] Resolve(IReadOnlyList<string> specs, string role)
    {
        var columns = new int[specs.Count];
        for (int i = 0; i < columns.Length; i++)
        {
            columns[i] = Find(specs[i]);
            for (int j = 0; j < i; j++)
            {
                if (columns[j] == columns[i]) throw Fail($"column {Show(_names![columns[i]])} is listed twice as a {role}");
            }
        }
        return columns;
    }

    /// <summary>The column a header name or a 0-based index in digits addresses (a name first).</summary>
    private int Find(string spec)
    {
        string[] names = _names!;
        string key = spec.Trim();
        if (_options.HasHeader)
        {
            int first = Array.IndexOf(names, key);
            if (first >= 0)
            {
                int second = Array.IndexOf(names, key, first + 1);
                if (second >= 0)
                    throw Fail($"the header names two columns {Show(key)} (columns {first} and {second}): address the one meant by its index");
                return first;
            }
        }
        if (key.Length > 0 && key.Length <= 9 && key.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0)
        {
            int index = int.Parse(key, NumberStyles.None, CultureInfo.InvariantCulture);
            if (index < names.Length) return index;
        }
        throw Fail($"no column {Show(spec)} (columns: {List(names)})");
    }

    private void Add(SepReader.Row row)
    {
        if (_features!.Full) throw Fail($"too large: {_features.Rows} rows of {_features.Width} features fill the largest array");
        Span<float> features = _features.Append();
        int[] columns = _featureColumns;
        for (int k = 0; k < columns.Length; k++) features[k] = Number(row, columns[k]);

        switch (_kind)
        {
            case TargetKind.Regression:
            {
                Span<float> targets = _targets!.Append();
                for (int k = 0; k < _targetColumns.Length; k++) targets[k] = Number(row, _targetColumns[k]);
                break;
            }
            case TargetKind.Classification:
                _labels!.Append()[0] = Label(row, _targetColumns[0]);
                break;
            case TargetKind.Undecided:
            {
                int column = _targetColumns[0];
                if (TryNumber(row[column], out float value))
                {
                    _targets!.Append()[0] = value;
                    if (_labels is not null)
                    {
                        int label = Label(row, column, undecided: true);
                        if (label >= 0)
                        {
                            _labels.Append()[0] = label;
                        }
                        else
                        {
                            // Too many distinct numbers for class labels: regression, unless a cell later is not a number.
                            _labels = null;
                            _classes = null;
                            _classList = null;
                        }
                    }
                }
                else if (_labels is not null && !row[column].Span.Trim().IsEmpty)
                {
                    _kind = TargetKind.Classification;
                    _targets = null;
                    _labels.Append()[0] = Label(row, column);
                }
                else if (_labels is null && !row[column].Span.Trim().IsEmpty)
                {
                    throw new DataFormatException(_name, Where(row, column), Show(row[column].Span) + " is not a number, and the " +
                        $"target column had more than {MaxClasses} distinct numbers before it, so it is read as a regression " +
                        "target; for class labels, set Task to Classification");
                }
                else
                {
                    throw BadNumber(row, column);
                }
                break;
            }
        }
    }

    private float Number(SepReader.Row row, int column)
    {
        if (TryNumber(row[column], out float value)) return value;
        throw BadNumber(row, column);
    }

    private static bool TryNumber(SepReader.Col col, out float value)
    {
        // Sep's parser takes ',' as a thousands separator ("1,5" is 15): refused, as every letter is by IsFinite or the parser.
        if (col.TryParse<float>() is float parsed && float.IsFinite(parsed) && !col.Span.Contains(','))
        {
            value = parsed;
            return true;
        }
        value = 0;
        return false;
    }

    /// <summary>A number outside Sep: the same characters allowed, parsed by .NET (for sorting class names).</summary>
    private static bool TryNumber(string text, out float value)
    {
        if (text.Length > 0 && !text.AsSpan().ContainsAnyExcept(NumberChars)
            && float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && float.IsFinite(value))
        {
            return true;
        }
        value = 0;
        return false;
    }

    private DataFormatException BadNumber(SepReader.Row row, int column)
    {
        ReadOnlySpan<char> text = row[column].Span;
        string where = Where(row, column);
        if (text.Trim().IsEmpty) return new DataFormatException(_name, where, "empty cell");
        if (float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) && !float.IsFinite(value))
            return new DataFormatException(_name, where, Show(text) + " is not a finite number");
        return new DataFormatException(_name, where, Show(text) + " is not a number");
    }

    /// <summary>The class index of a label; while undecided, -1 when there would be more than <see cref="MaxClasses"/>.</summary>
    private int Label(SepReader.Row row, int column, bool undecided = false)
    {
        ReadOnlySpan<char> text = row[column].Span.Trim();
        if (text.IsEmpty) throw new DataFormatException(_name, Where(row, column), "empty cell");
        var lookup = _classes!.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(text, out int index)) return index;
        if (_options.ClassNames is { } given)
        {
            throw new DataFormatException(_name, Where(row, column),
                $"label {Show(text)} is not one of the {given.Count} class names ({List(given)})");
        }
        if (_classList!.Count >= MaxClasses)
        {
            if (undecided) return -1;
            throw new DataFormatException(_name, Where(row, column),
                $"more than {MaxClasses} distinct labels in the target column {Show(_names![column])}; is it the class label?");
        }
        index = _classList.Count;
        string label = text.ToString();
        _classes.Add(label, index);
        _classList.Add(label);
        return index;
    }

    private CsvTable Finish()
    {
        int rows = _features!.Rows;
        if (rows == 0) throw Fail("no rows");
        string[] names = _names!;
        string[] featureNames = _featureColumns.Select(c => names[c]).ToArray();
        string[] targetNames = _targetColumns.Select(c => names[c]).ToArray();
        float[] features = _features.ToArray();
        _features = null;
        if (_kind is TargetKind.Classification || (_kind is TargetKind.None && _options.ClassNames is not null))
        {
            int[]? labels = _labels?.ToArray();
            string[] classNames;
            if (_options.ClassNames is { } given)
            {
                classNames = given.ToArray();
            }
            else
            {
                classNames = SortedClasses(_classList!, out int[] rank);
                for (int i = 0; i < labels!.Length; i++) labels[i] = rank[labels[i]];
            }
            return new CsvTable(_name, rows, featureNames, features, targetNames, labels, classNames, null);
        }
        float[]? targets = _targets?.ToArray();
        return new CsvTable(_name, rows, featureNames, features, targetNames, null, null, targets);
    }

    /// <summary>
    /// The labels sorted: by value when all are numbers (ties in ordinal order), else in ordinal order;
    /// <paramref name="rank"/> maps each label's first-seen index to its place.
    /// </summary>
    private static string[] SortedClasses(List<string> seen, out int[] rank)
    {
        var values = new float[seen.Count];
        bool numeric = true;
        for (int i = 0; i < seen.Count && numeric; i++) numeric = TryNumber(seen[i], out values[i]);
        int[] order = Enumerable.Range(0, seen.Count).ToArray();
        Array.Sort(order, (a, b) =>
        {
            int byValue = numeric ? values[a].CompareTo(values[b]) : 0;
            return byValue != 0 ? byValue : string.CompareOrdinal(seen[a], seen[b]);
        });
        rank = new int[seen.Count];
        var sorted = new string[seen.Count];
        for (int place = 0; place < order.Length; place++)
        {
            rank[order[place]] = place;
            sorted[place] = seen[order[place]];
        }
        return sorted;
    }

    /// <summary>The place of a cell: its physical line (line breaks inside the cells before it counted) and column.</summary>
    private string Where(SepReader.Row row, int column)
    {
        int line = _line;
        for (int c = 0; c < column; c++)
        {
            ReadOnlySpan<char> text = row[c].Span;
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n'))) line++;
            }
        }
        string name = _options.HasHeader ? Show(_names![column]) : column.ToString(CultureInfo.InvariantCulture);
        return $"line {line}, column {name}";
    }

    private DataFormatException Fail(string problem) => new(_name, problem);

    /// <summary>Text for a message: quoted, line breaks and other control characters escaped, cut after 40 characters.</summary>
    internal static string Show(ReadOnlySpan<char> text)
    {
        const int Max = 40;
        var shown = new StringBuilder("\"");
        foreach (char c in text.Length > Max ? text[..Max] : text)
        {
            shown.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) || char.IsSurrogate(c) => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }
        shown.Append(text.Length > Max ? "...\"" : "\"");
        return shown.ToString();
    }

    /// <summary>Names for a message: the first ten, then how many there are.</summary>
    private static string List(IReadOnlyList<string> names)
    {
        const int Max = 10;
        string shown = string.Join(", ", names.Take(Max));
        return names.Count > Max ? $"{shown}, ... ({names.Count} in all)" : shown;
    }
}
