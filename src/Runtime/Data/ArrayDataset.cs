using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen;

/// <summary>
/// Rows of floats in memory, each with a class label or with float targets: what a table of features becomes
/// (a CSV file read with <c>CsvData</c>, or arrays of your own). The arrays given are kept, not copied; rows given as spans or
/// as a sequence are copied once.
/// </summary>
public sealed class ArrayDataset : IDataset
{
    private readonly float[] _inputs;
    private readonly int[]? _labels;
    private readonly float[]? _targets;

    private ArrayDataset(float[] inputs, int inputSize, int[]? labels, int classCount, float[]? targets, int targetSize)
    {
        if (inputSize < 1) throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "At least one input per row.");
        if (inputs.Length % inputSize != 0)
            throw new ArgumentException($"{inputs.Length} inputs are not whole rows of {inputSize}.", nameof(inputs));
        int count = inputs.Length / inputSize;
        if (labels is not null)
        {
            if (labels.Length != count) throw new ArgumentException($"{labels.Length} labels for {count} rows.", nameof(labels));
            if (classCount < 1) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "At least one class.");
            for (int i = 0; i < labels.Length; i++)
            {
                if ((uint)labels[i] >= (uint)classCount)
                    throw new ArgumentException($"Label {labels[i]} of row {i} is outside 0 to {classCount - 1}.", nameof(labels));
            }
        }
        if (targets is not null)
        {
            if (targetSize < 1) throw new ArgumentOutOfRangeException(nameof(targetSize), targetSize, "At least one target per row.");
            if (targets.Length != (long)count * targetSize)
                throw new ArgumentException($"{targets.Length} targets for {count} rows of {targetSize}.", nameof(targets));
        }
        _inputs = inputs;
        _labels = labels;
        _targets = targets;
        InputSize = inputSize;
        ClassCount = labels is null ? 0 : classCount;
        TargetSize = targets is null ? 0 : targetSize;
        Count = count;
    }

    /// <summary>Labelled rows over the given arrays (kept, not copied: do not change them afterwards).</summary>
    /// <param name="inputs">The rows one after the other, <paramref name="inputSize"/> floats each.</param>
    /// <param name="inputSize">Floats per row.</param>
    /// <param name="labels">The class of each row, 0 to <paramref name="classCount"/> - 1.</param>
    /// <param name="classCount">The number of classes; by default one more than the largest label.</param>
    public static ArrayDataset WithLabels(float[] inputs, int inputSize, int[] labels, int? classCount = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(labels);
        return new(inputs, inputSize, labels, classCount ?? (labels.Length == 0 ? 1 : labels.Max() + 1), null, 0);
    }

    /// <summary>Rows with float targets over the given arrays (kept, not copied: do not change them afterwards).</summary>
    /// <param name="inputs">The rows one after the other, <paramref name="inputSize"/> floats each.</param>
    /// <param name="inputSize">Floats per row.</param>
    /// <param name="targets">The targets of the rows one after the other, <paramref name="targetSize"/> floats each.</param>
    /// <param name="targetSize">Targets per row: the network's <see cref="INetwork.OutputSize"/>.</param>
    public static ArrayDataset WithTargets(float[] inputs, int inputSize, float[] targets, int targetSize = 1)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        return new(inputs, inputSize, null, 0, targets, targetSize);
    }

    /// <summary>Labelled rows copied once from spans.</summary>
    public static ArrayDataset CopyWithLabels(ReadOnlySpan<float> inputs, int inputSize, ReadOnlySpan<int> labels, int classCount) =>
        WithLabels(inputs.ToArray(), inputSize, labels.ToArray(), classCount);

    /// <summary>Rows with float targets copied once from spans.</summary>
    public static ArrayDataset CopyWithTargets(ReadOnlySpan<float> inputs, int inputSize, ReadOnlySpan<float> targets, int targetSize) =>
        WithTargets(inputs.ToArray(), inputSize, targets.ToArray(), targetSize);

    /// <summary>Labelled rows copied once from a sequence of rows (all of one length) and their labels.</summary>
    public static ArrayDataset FromRows(IEnumerable<float[]> rows, IEnumerable<int> labels, int? classCount = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var (inputs, inputSize) = Join(rows, nameof(rows));
        return WithLabels(inputs, inputSize, labels.ToArray(), classCount);
    }

    /// <summary>Rows with float targets copied once from sequences of rows (all of one length) and of target rows.</summary>
    public static ArrayDataset FromRows(IEnumerable<float[]> rows, IEnumerable<float[]> targets)
    {
        var (inputs, inputSize) = Join(rows, nameof(rows));
        var (joined, targetSize) = Join(targets, nameof(targets));
        return WithTargets(inputs, inputSize, joined, targetSize);
    }

    /// <inheritdoc/>
    public int Count { get; }

    /// <inheritdoc/>
    public int InputSize { get; }

    /// <inheritdoc/>
    public int ClassCount { get; }

    /// <inheritdoc/>
    public int TargetSize { get; }

    /// <summary>All the rows one after the other.</summary>
    public ReadOnlySpan<float> Inputs => _inputs;

    /// <summary>The labels (empty for rows with targets).</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>The targets one row after the other (empty for labelled rows).</summary>
    public ReadOnlySpan<float> Targets => _targets;

    /// <summary>Row <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Row(int index)
    {
        CheckIndex(index);
        return _inputs.AsSpan(index * InputSize, InputSize);
    }

    /// <inheritdoc/>
    public int Label(int index)
    {
        CheckIndex(index);
        return _labels is null ? throw NoLabels() : _labels[index];
    }

    /// <inheritdoc/>
    public void CopyBatch(ReadOnlySpan<int> indices, Span<float> inputs, Span<int> labels)
    {
        if (_labels is null) throw NoLabels();
        CheckBatch(indices, inputs, labels.Length, 1);
        for (int i = 0; i < indices.Length; i++)
        {
            int index = indices[i];
            CheckIndex(index);
            _inputs.AsSpan(index * InputSize, InputSize).CopyTo(inputs.Slice(i * InputSize, InputSize));
            labels[i] = _labels[index];
        }
    }

    /// <inheritdoc/>
    public void CopyBatch(ReadOnlySpan<int> indices, Span<float> inputs, Span<float> targets)
    {
        if (_targets is null) throw new InvalidOperationException("The rows are labelled with classes; they have no float targets.");
        CheckBatch(indices, inputs, targets.Length, TargetSize);
        for (int i = 0; i < indices.Length; i++)
        {
            int index = indices[i];
            CheckIndex(index);
            _inputs.AsSpan(index * InputSize, InputSize).CopyTo(inputs.Slice(i * InputSize, InputSize));
            _targets.AsSpan(index * TargetSize, TargetSize).CopyTo(targets.Slice(i * TargetSize, TargetSize));
        }
    }

    private void CheckBatch(ReadOnlySpan<int> indices, Span<float> inputs, int outputs, int perRow)
    {
        if ((long)inputs.Length < (long)indices.Length * InputSize)
            throw new ArgumentException($"The inputs have {inputs.Length} floats; {indices.Length} rows need {(long)indices.Length * InputSize}.", nameof(inputs));
        if ((long)outputs < (long)indices.Length * perRow)
            throw new ArgumentException($"{outputs} labels or targets; {indices.Length} rows need {(long)indices.Length * perRow}.");
    }

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"Rows are 0 to {Count - 1}.");
    }

    private static InvalidOperationException NoLabels() => new("The rows have float targets, not class labels.");

    /// <summary>The rows one after the other (one copy of the floats), and their common length.</summary>
    private static (float[] Joined, int Size) Join(IEnumerable<float[]> rows, string name)
    {
        ArgumentNullException.ThrowIfNull(rows, name);
        IReadOnlyList<float[]> list = rows as IReadOnlyList<float[]> ?? rows.ToList(); // references only, no floats copied
        if (list.Count == 0) throw new ArgumentException("No rows.", name);
        int size = list[0]?.Length ?? 0;
        var joined = new float[(long)list.Count * size];
        for (int i = 0; i < list.Count; i++)
        {
            float[] row = list[i] ?? throw new ArgumentException($"Row {i} is null.", name);
            if (row.Length != size) throw new ArgumentException($"Row {i} has {row.Length} values; row 0 has {size}.", name);
            row.CopyTo(joined, (long)i * size);
        }
        return (joined, size);
    }
}
