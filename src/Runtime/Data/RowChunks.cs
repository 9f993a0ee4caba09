using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>
/// Rows of a fixed width, appended one at a time into chunks of about a megabyte, then copied once into one array of
/// the final size: the rows of a stream of unknown length cost their own size plus one copy at the end, never the
/// doublings of a growing array.
/// </summary>
internal sealed class RowChunks<T> where T : struct
{
    private const int ChunkElements = 1 << 18;

    private readonly List<T[]> _chunks = new();
    private readonly int _chunkRows;
    private int _rowsInLast;

    public RowChunks(int width)
    {
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width));
        Width = width;
        _chunkRows = Math.Max(1, ChunkElements / width);
        _rowsInLast = _chunkRows;
    }

    /// <summary>The values per row.</summary>
    public int Width { get; }

    /// <summary>The rows appended.</summary>
    public int Rows { get; private set; }

    /// <summary>Whether one more row would make the whole more than an array can hold.</summary>
    public bool Full => (long)(Rows + 1) * Width > Array.MaxLength;

    /// <summary>Appends a row and returns it to be filled (its values are not cleared).</summary>
    public Span<T> Append()
    {
        if (_rowsInLast == _chunkRows)
        {
            _chunks.Add(GC.AllocateUninitializedArray<T>(_chunkRows * Width));
            _rowsInLast = 0;
        }
        Span<T> row = _chunks[^1].AsSpan(_rowsInLast * Width, Width);
        _rowsInLast++;
        Rows++;
        return row;
    }

    /// <summary>The rows as one row-major array; the chunks are released.</summary>
    public T[] ToArray()
    {
        var all = GC.AllocateUninitializedArray<T>(Rows * Width);
        int offset = 0;
        for (int i = 0; i < _chunks.Count; i++)
        {
            int length = Math.Min(_chunks[i].Length, all.Length - offset);
            _chunks[i].AsSpan(0, length).CopyTo(all.AsSpan(offset));
            offset += length;
            _chunks[i] = null!;
        }
        _chunks.Clear();
        return all;
    }

    /// <summary>Row <paramref name="row"/>, for a second look after all rows are read.</summary>
    public Span<T> Row(int row) => _chunks[row / _chunkRows].AsSpan(row % _chunkRows * Width, Width);
}
