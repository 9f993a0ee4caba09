using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;

namespace NetGen;

/// <summary>Views of a dataset: some of its rows (a split), or its inputs standardized. Views copy no rows.</summary>
public static class Datasets
{
    /// <summary>The rows of <paramref name="source"/> at <paramref name="indices"/>, in that order (kept, not copied).</summary>
    public static IDataset Subset(IDataset source, int[] indices)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(indices);
        foreach (int index in indices)
        {
            if ((uint)index >= (uint)source.Count)
                throw new ArgumentOutOfRangeException(nameof(indices), index, $"Rows are 0 to {source.Count - 1}.");
        }
        return new SubsetView(source, indices);
    }

    /// <summary>
    /// Splits <paramref name="data"/> into training and validation rows, shuffled from <paramref name="seed"/>: <c>round(n *
    /// validationFraction)</c> of the n rows are held out for validation; of labelled rows each class in proportion
    /// (stratified: each class gives the whole part of its share, and the rows left over go to the classes with the largest
    /// remainders, as scikit-learn's stratified split does). Each side keeps the rows' original order.
    /// </summary>
    /// <param name="data">The rows to split.</param>
    /// <param name="validationFraction">Above 0 and below 1, e.g. 0.2.</param>
    /// <param name="seed">The same seed always gives the same split.</param>
    public static (IDataset Train, IDataset Validation) Split(IDataset data, double validationFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(validationFraction > 0 && validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "The validation fraction must be above 0 and below 1.");
        if (data.Count < 2) throw new ArgumentException($"{data.Count} rows cannot be split.", nameof(data));
        int total = Math.Clamp((int)Math.Round(data.Count * validationFraction, MidpointRounding.AwayFromZero), 1, data.Count - 1);
        var groups = new List<List<int>>();
        if (data.ClassCount > 0)
        {
            for (int c = 0; c < data.ClassCount; c++) groups.Add(new List<int>());
            for (int i = 0; i < data.Count; i++) groups[data.Label(i)].Add(i);
        }
        else
        {
            groups.Add(Enumerable.Range(0, data.Count).ToList());
        }
        // Each group's share: the whole part first, then one more to the largest remainders (ties: the lower group) until the total.
        int[] take = new int[groups.Count];
        for (int g = 0; g < groups.Count; g++) take[g] = (int)Math.Floor(groups[g].Count * (double)total / data.Count);
        foreach (int g in Enumerable.Range(0, groups.Count)
            .OrderByDescending(g => groups[g].Count * (double)total / data.Count - take[g]).ThenBy(g => g)
            .Take(total - take.Sum()))
        {
            take[g]++;
        }
        var random = new RandomSource(seed, stream: 2);
        bool[] validation = new bool[data.Count];
        for (int g = 0; g < groups.Count; g++)
        {
            int[] shuffled = groups[g].ToArray();
            random.Shuffle(shuffled.AsSpan());
            for (int i = 0; i < take[g]; i++) validation[shuffled[i]] = true;
        }
        var train = new List<int>(data.Count);
        var held = new List<int>();
        for (int i = 0; i < validation.Length; i++) (validation[i] ? held : train).Add(i);
        return (new SubsetView(data, train.ToArray()), new SubsetView(data, held.ToArray()));
    }

    /// <summary><paramref name="source"/> with its inputs standardized by <paramref name="standardization"/> as they are read.</summary>
    public static IDataset Standardized(IDataset source, Standardization standardization)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(standardization);
        if (standardization.Mean.Length != source.InputSize)
            throw new ArgumentException($"The standardization has {standardization.Mean.Length} inputs; the rows have {source.InputSize}.", nameof(standardization));
        return new StandardizedView(source, standardization);
    }

    private sealed class SubsetView(IDataset source, int[] indices) : IDataset
    {
        public int Count => indices.Length;

        public int InputSize => source.InputSize;

        public int ClassCount => source.ClassCount;

        public int TargetSize => source.TargetSize;

        public int Label(int index) => source.Label(indices[index]);

        public void CopyBatch(ReadOnlySpan<int> batch, Span<float> inputs, Span<int> labels)
        {
            int size = InputSize;
            for (int i = 0; i < batch.Length; i++)
            {
                int row = indices[batch[i]];
                source.CopyBatch(MemoryMarshal.CreateReadOnlySpan(ref row, 1), inputs.Slice(i * size, size), labels.Slice(i, 1));
            }
        }

        public void CopyBatch(ReadOnlySpan<int> batch, Span<float> inputs, Span<float> targets)
        {
            int size = InputSize, targetSize = TargetSize;
            for (int i = 0; i < batch.Length; i++)
            {
                int row = indices[batch[i]];
                source.CopyBatch(MemoryMarshal.CreateReadOnlySpan(ref row, 1), inputs.Slice(i * size, size), targets.Slice(i * targetSize, targetSize));
            }
        }
    }

    private sealed class StandardizedView(IDataset source, Standardization standardization) : IDataset
    {
        public int Count => source.Count;

        public int InputSize => source.InputSize;

        public int ClassCount => source.ClassCount;

        public int TargetSize => source.TargetSize;

        public int Label(int index) => source.Label(index);

        public void CopyBatch(ReadOnlySpan<int> batch, Span<float> inputs, Span<int> labels)
        {
            source.CopyBatch(batch, inputs, labels);
            standardization.Apply(inputs.Slice(0, batch.Length * InputSize));
        }

        public void CopyBatch(ReadOnlySpan<int> batch, Span<float> inputs, Span<float> targets)
        {
            source.CopyBatch(batch, inputs, targets);
            standardization.Apply(inputs.Slice(0, batch.Length * InputSize));
        }
    }
}
