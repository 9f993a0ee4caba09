using System.Collections.Generic;

namespace NetGen;

/// <summary>What the target column(s) of a CSV file hold: class labels or numbers to predict.</summary>
public enum CsvTask
{
    /// <summary>
    /// Classification if there is exactly one target column and one of its cells is not a number (or
    /// <see cref="CsvOptions.ClassNames"/> is given); otherwise regression. Integer class labels ("0", "1", ...) are numbers,
    /// so they read as regression: say <see cref="Classification"/> for them. A column whose first cell that is not a
    /// number comes after more than 65,536 distinct numbers is read as regression, and that cell is an error.
    /// </summary>
    Auto,

    /// <summary>
    /// One target column of class labels, any text (numbers included), at most 65,536 distinct ones unless
    /// <see cref="CsvOptions.ClassNames"/> lists them; <see cref="CsvTable.Labels"/> indexes <see cref="CsvTable.ClassNames"/>.
    /// </summary>
    Classification,

    /// <summary>One or more target columns of numbers, kept in <see cref="CsvTable.Targets"/>.</summary>
    Regression,
}

/// <summary>How <see cref="CsvData"/> reads a CSV file. Every property is optional.</summary>
/// <remarks>
/// A column is addressed by its header name or by its 0-based index written in digits ("0", "7"); with a header, a name
/// is tried first, so a column named "3" is that column, not the fourth.
/// </remarks>
public sealed record CsvOptions
{
    /// <summary>Whether the first row names the columns (default true). Without a header the columns are named "0", "1", ...</summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>
    /// The separator; null (the default) detects it from the first line: the most frequent of ',', ';' and tab outside
    /// quotes, ',' on a tie or when there is none.
    /// </summary>
    public char? Separator { get; init; }

    /// <summary>
    /// The target column(s): the class label, or the values to predict. Default: the last column. An empty list: no
    /// target (data to predict), every column not ignored is a feature.
    /// </summary>
    public IReadOnlyList<string>? Targets { get; init; }

    /// <summary>The feature columns, in this order. Default: every column, in file order, that is not a target and not in <see cref="Ignore"/>.</summary>
    public IReadOnlyList<string>? Features { get; init; }

    /// <summary>Columns to skip, e.g. an id column.</summary>
    public IReadOnlyList<string>? Ignore { get; init; }

    /// <summary>Classification, regression, or <see cref="CsvTask.Auto"/> (the default) to decide from the target column.</summary>
    public CsvTask Task { get; init; } = CsvTask.Auto;

    /// <summary>
    /// A fixed list of class names (e.g. the one stored with a model, so that labels map to the same indices as in
    /// training): implies classification, and a label not in the list is an error naming its line, column and value.
    /// Default: the distinct labels of the file, sorted (by value when all are numbers, else in ordinal string order).
    /// </summary>
    public IReadOnlyList<string>? ClassNames { get; init; }
}
