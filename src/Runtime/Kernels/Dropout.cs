using System;
using System.ComponentModel;

namespace NetGen.Kernels;

/// <summary>
/// Dropout in training, as PyTorch's <c>nn.Dropout</c>: each value is kept with probability 1 - rate and scaled by
/// 1/(1 - rate), or zeroed. A mask holds the factor (0 or the scale) of every value, for the forward and the backward
/// pass. Generated networks call this; it is public for them.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Dropout
{
    /// <summary>Draws a mask: one <see cref="RandomSource.NextFloat()"/> per value, in order; below <paramref name="rate"/> drops it.</summary>
    public static void DrawMask(RandomSource random, Span<float> keep, float rate, float scale)
    {
        ArgumentNullException.ThrowIfNull(random);
        for (int k = 0; k < keep.Length; k++) keep[k] = random.NextFloat() < rate ? 0f : scale;
    }

    /// <summary><c>values *= keep</c>, value by value: dropout's forward pass on a layer's outputs, and its backward pass on their gradients.</summary>
    public static void Apply(Span<float> values, ReadOnlySpan<float> keep)
    {
        for (int k = 0; k < values.Length; k++) values[k] *= keep[k];
    }
}
