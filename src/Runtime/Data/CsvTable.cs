using System;

namespace NetGen;

/// <summary>
/// A CSV file read by <see cref="CsvData"/>: its feature columns as one row-major float matrix, and its target: class
/// labels (<see cref="Labels"/>, <see cref="ClassNames"/>) or numbers (<see cref="Targets"/>).
/// </summary>
public sealed class CsvTable
{
    internal CsvTable(string displayName, int rows, string[] featureNames, float[] features, string[] targetNames,
        int[]? labels, string[]? classNames, float[]? targets)
    {
        DisplayName = displayName;
        Rows = rows;
        FeatureNames = featureNames;
        Features = features;
        TargetNames = targetNames;
        Labels = labels;
        ClassNames = classNames;
        Targets = targets;
    }

    /// <summary>The file, as error messages name it (the path given to <see cref="CsvData.Load"/>).</summary>
    public string DisplayName { get; }

    /// <summary>The number of data rows (the header is not one).</summary>
    public int Rows { get; }

    /// <summary>The number of feature columns: <see cref="FeatureNames"/>.Length.</summary>
    public int FeatureCount => FeatureNames.Length;

    /// <summary>The feature values, row-major: row r, feature f at <c>r * FeatureCount + f</c>.</summary>
    public float[] Features { get; }

    /// <summary>The names of the feature columns (header names, or 0-based column indices without a header).</summary>
    public string[] FeatureNames { get; }

    /// <summary>The names of the target columns: one for classification.</summary>
    public string[] TargetNames { get; }

    /// <summary>Whether the target is a class label (<see cref="Labels"/>, <see cref="ClassNames"/>) rather than numbers (<see cref="Targets"/>).</summary>
    public bool IsClassification => Labels is not null;

    /// <summary>Classification: each row's class, an index into <see cref="ClassNames"/>; null for regression.</summary>
    public int[]? Labels { get; }

    /// <summary>
    /// Classification: the class names, the distinct labels sorted (by value when all are numbers, else in ordinal
    /// order) or the list given in <see cref="CsvOptions.ClassNames"/>; null for regression.
    /// </summary>
    public string[]? ClassNames { get; }

    /// <summary>Regression: the target values, row-major: row r, target t at <c>r * TargetNames.Length + t</c>; null for classification.</summary>
    public float[]? Targets { get; }

    /// <summary>Feature row <paramref name="row"/>.</summary>
    public ReadOnlySpan<float> FeatureRow(int row) => Features.AsSpan(checked(row * FeatureCount), FeatureCount);

    /// <summary>
    /// The rows as a dataset for training or evaluation (<see cref="Trainer.Fit"/>, <see cref="Evaluator"/>): the features with
    /// the class labels, or with the targets. The arrays are shared, not copied.
    /// </summary>
    /// <exception cref="InvalidOperationException">The table was read without a label or target column.</exception>
    public ArrayDataset ToDataset()
    {
        if (FeatureCount == 0) throw new InvalidOperationException($"{DisplayName}: no feature columns.");
        if (Labels is not null) return ArrayDataset.WithLabels(Features, FeatureCount, Labels, ClassNames!.Length);
        if (Targets is not null && TargetNames.Length > 0) return ArrayDataset.WithTargets(Features, FeatureCount, Targets, TargetNames.Length);
        throw new InvalidOperationException($"{DisplayName}: read without a label or target column.");
    }
}
