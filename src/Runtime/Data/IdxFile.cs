using System;

namespace NetGen;

/// <summary>The content of an IDX file of unsigned bytes: its dimensions and its data in row-major order.</summary>
public sealed class IdxFile
{
    /// <summary>An IDX content; the arrays are kept, not copied.</summary>
    /// <param name="dimensions">The dimensions, outermost first (for images: count, rows, columns); 1 to 4, each positive.</param>
    /// <param name="data">The data, row-major; its length is the product of <paramref name="dimensions"/>.</param>
    /// <exception cref="ArgumentException">The dimensions are invalid or do not match the data length.</exception>
    public IdxFile(int[] dimensions, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        ArgumentNullException.ThrowIfNull(data);
        if (dimensions.Length is < 1 or > 4)
            throw new ArgumentException($"An IDX file has 1 to 4 dimensions, not {dimensions.Length}.", nameof(dimensions));
        long product = 1;
        foreach (int d in dimensions)
        {
            if (d <= 0) throw new ArgumentException($"Every dimension must be positive; got {d}.", nameof(dimensions));
            product *= d;
            if (product > Array.MaxLength) throw new ArgumentException("The dimensions describe more bytes than an array can hold.", nameof(dimensions));
        }
        if (product != data.Length)
            throw new ArgumentException($"The dimensions {string.Join("x", dimensions)} describe {product} bytes but the data has {data.Length}.", nameof(data));
        Dimensions = dimensions;
        Data = data;
    }

    /// <summary>The dimensions, outermost first (for images: count, rows, columns).</summary>
    public int[] Dimensions { get; }

    /// <summary>The data as unsigned bytes, row-major.</summary>
    public byte[] Data { get; }
}
