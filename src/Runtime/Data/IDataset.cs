using System;

namespace NetGen;

/// <summary>
/// Rows of float inputs, each with a class label or with float targets, that training (<see cref="Trainer.Fit"/>) and
/// evaluation read a batch at a time. <see cref="ImageDataset"/> (bytes, scaled as read), <see cref="ArrayDataset"/>
/// (floats in memory) and views of either (<see cref="Datasets.Subset"/>, <see cref="Datasets.Standardized"/>) implement it.
/// </summary>
/// <remarks>Implementations are read-only after construction, so several threads may copy batches at once.</remarks>
public interface IDataset
{
    /// <summary>The number of rows.</summary>
    int Count { get; }

    /// <summary>Floats per row: a network's <see cref="INetwork.InputSize"/>.</summary>
    int InputSize { get; }

    /// <summary>The number of classes of labelled rows (every label is below it), or 0 for rows with float targets.</summary>
    int ClassCount { get; }

    /// <summary>Float targets per row (a network's <see cref="INetwork.OutputSize"/>), or 0 for labelled rows.</summary>
    int TargetSize { get; }

    /// <summary>The label of row <paramref name="index"/> (labelled rows only).</summary>
    /// <exception cref="InvalidOperationException">The rows have float targets.</exception>
    int Label(int index);

    /// <summary>
    /// Gathers the rows at <paramref name="indices"/>: row <c>indices[i]</c> goes to row <c>i</c> of <paramref name="inputs"/>
    /// (<see cref="InputSize"/> floats a row) and its label to <c>labels[i]</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The rows have float targets.</exception>
    void CopyBatch(ReadOnlySpan<int> indices, Span<float> inputs, Span<int> labels);

    /// <summary>
    /// Gathers the rows at <paramref name="indices"/>: row <c>indices[i]</c> goes to row <c>i</c> of <paramref name="inputs"/>
    /// and its targets to row <c>i</c> of <paramref name="targets"/> (<see cref="TargetSize"/> floats a row).
    /// </summary>
    /// <exception cref="InvalidOperationException">The rows are labelled.</exception>
    void CopyBatch(ReadOnlySpan<int> indices, Span<float> inputs, Span<float> targets);
}
