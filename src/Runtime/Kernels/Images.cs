using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen.Kernels;

/// <summary>
/// What the generated image kernels (convolution) share: the nonzero values of an image listed pixel by pixel, and the
/// transposition of a weight matrix. Generated networks call this; it is public for them.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Images
{
    /// <summary>
    /// Lists, for each of an image's <paramref name="pixels"/> pixels, its nonzero channels: pixel p's
    /// <paramref name="count"/>[p] channels and values are at <c>p * channels</c> onwards in <paramref name="channel"/> and
    /// <paramref name="value"/>, in channel order. The image is <c>[channels, pixels]</c> row-major when
    /// <paramref name="channelsFirst"/> (PyTorch's order), else <c>[pixels, channels]</c>. No branch decides what is listed,
    /// so images with scattered zeros (blank pixels, ReLU zeros) cost no mispredictions.
    /// </summary>
    public static void ListNonzero(ReadOnlySpan<float> image, int pixels, int channels, bool channelsFirst,
        Span<int> channel, Span<float> value, Span<int> count)
    {
        int size = pixels * channels;
        if (image.Length < size || channel.Length < size || value.Length < size || count.Length < pixels)
            throw new ArgumentException("An image list is shorter than the image.");
        ref float x0 = ref MemoryMarshal.GetReference(image);
        ref int c0 = ref MemoryMarshal.GetReference(channel);
        ref float v0 = ref MemoryMarshal.GetReference(value);
        ref int n0 = ref MemoryMarshal.GetReference(count);
        if (channels == 1)
        {
            for (int p = 0; p < pixels; p++)
            {
                float x = Unsafe.Add(ref x0, p);
                Unsafe.Add(ref c0, p) = 0;
                Unsafe.Add(ref v0, p) = x;
                Unsafe.Add(ref n0, p) = x != 0f ? 1 : 0;
            }
            return;
        }
        int step = channelsFirst ? pixels : 1, across = channelsFirst ? 1 : channels;
        for (int p = 0; p < pixels; p++)
        {
            int start = p * channels, n = 0;
            ref float xp = ref Unsafe.Add(ref x0, p * across);
            for (int c = 0; c < channels; c++)
            {
                float x = Unsafe.Add(ref xp, c * step);
                Unsafe.Add(ref c0, start + n) = c;
                Unsafe.Add(ref v0, start + n) = x;
                n += x != 0f ? 1 : 0;
            }
            Unsafe.Add(ref n0, p) = n;
        }
    }

    /// <summary>Writes the transpose of <paramref name="source"/> (<c>[rows, columns]</c> row-major) into <paramref name="destination"/> (<c>[columns, rows]</c>).</summary>
    public static void Transpose(ReadOnlySpan<float> source, Span<float> destination, int rows, int columns)
    {
        if (source.Length < rows * columns || destination.Length < rows * columns)
            throw new ArgumentException("A matrix is shorter than its rows times its columns.");
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = source.Slice(r * columns, columns);
            for (int c = 0; c < columns; c++) destination[c * rows + r] = row[c];
        }
    }
}
