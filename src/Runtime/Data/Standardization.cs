using System;

namespace NetGen;

/// <summary>
/// Feature standardization, as scikit-learn's <c>StandardScaler</c>: each input becomes <c>(x - mean) / scale</c>, with the
/// mean and the (population) standard deviation of the training rows only; an input that never varies keeps scale 1. A model
/// file keeps it, so a saved model predicts on raw rows.
/// </summary>
public sealed class Standardization
{
    /// <summary>A standardization with the given means and scales (copied).</summary>
    /// <exception cref="ArgumentException">The lengths differ, or a scale is not positive and finite, or a mean not finite.</exception>
    public Standardization(ReadOnlySpan<float> mean, ReadOnlySpan<float> scale)
    {
        if (mean.Length != scale.Length) throw new ArgumentException($"{mean.Length} means and {scale.Length} scales.", nameof(scale));
        if (mean.IsEmpty) throw new ArgumentException("No inputs.", nameof(mean));
        for (int i = 0; i < mean.Length; i++)
        {
            if (!float.IsFinite(mean[i])) throw new ArgumentException($"Mean {i} is {mean[i]}.", nameof(mean));
            if (!(scale[i] > 0) || !float.IsFinite(scale[i])) throw new ArgumentException($"Scale {i} is {scale[i]}; scales must be positive.", nameof(scale));
        }
        Mean = mean.ToArray();
        Scale = scale.ToArray();
    }

    /// <summary>The mean of each input over the training rows.</summary>
    public float[] Mean { get; }

    /// <summary>The standard deviation of each input over the training rows (1 where it is 0).</summary>
    public float[] Scale { get; }

    /// <summary>The means and standard deviations of the inputs of <paramref name="data"/>'s rows, summed in double.</summary>
    public static Standardization Fit(IDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0) throw new ArgumentException("No rows to standardize from.", nameof(data));
        int size = data.InputSize;
        var sum = new double[size];
        var squares = new double[size];
        var row = new float[size];
        var label = new int[1];
        var targets = new float[Math.Max(1, data.TargetSize)];
        Span<int> index = stackalloc int[1];
        // Two passes (mean, then squared deviations) as numpy's var: exact enough where one pass of sum and sum of squares is not.
        for (int pass = 0; pass < 2; pass++)
        {
            for (int i = 0; i < data.Count; i++)
            {
                index[0] = i;
                if (data.ClassCount > 0) data.CopyBatch(index, row, label);
                else data.CopyBatch(index, row, targets);
                for (int j = 0; j < size; j++)
                {
                    if (pass == 0) sum[j] += row[j];
                    else squares[j] += (row[j] - sum[j]) * (row[j] - sum[j]);
                }
            }
            if (pass == 0)
            {
                for (int j = 0; j < size; j++) sum[j] /= data.Count;
            }
        }
        var mean = new float[size];
        var scale = new float[size];
        for (int j = 0; j < size; j++)
        {
            mean[j] = (float)sum[j];
            double deviation = Math.Sqrt(squares[j] / data.Count);
            scale[j] = deviation > 0 && (float)deviation > 0 ? (float)deviation : 1f;
        }
        return new Standardization(mean, scale);
    }

    /// <summary>Standardizes rows in place: <paramref name="rows"/> is whole rows of <see cref="Mean"/>'s length.</summary>
    public void Apply(Span<float> rows)
    {
        int size = Mean.Length;
        if (rows.Length % size != 0) throw new ArgumentException($"{rows.Length} values are not whole rows of {size}.", nameof(rows));
        for (int start = 0; start < rows.Length; start += size)
        {
            Span<float> row = rows.Slice(start, size);
            for (int j = 0; j < size; j++) row[j] = (row[j] - Mean[j]) / Scale[j];
        }
    }
}
