using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;

namespace NetGen;

/// <summary>
/// An IDX file opened for reading, its header already read and checked against what the file can hold, so that a
/// caller can compare headers (the images and labels counts) before reading any data; <see cref="ReadAll"/> then reads
/// the data once, into the array the result keeps.
/// </summary>
/// <remarks>
/// A header that claims more bytes than the file could hold is refused before anything is allocated: a plain file holds
/// its length, gzip data at most <see cref="MaxGzipRatio"/> times its length. Only a stream whose length is unknown (one
/// that cannot seek) is read in pieces, so that a short one claiming gigabytes fails as truncated without allocating them.
/// </remarks>
internal sealed class IdxFileReader : IDisposable
{
    /// <summary>
    /// Deflate's largest expansion: a 258-byte match coded in 2 bits (RFC 1951), so gzip data decompresses to less than
    /// 1032 times its length.
    /// </summary>
    public const int MaxGzipRatio = 1032;

    private const byte UnsignedByteType = 0x08;
    private const int MaxDimensions = 4;

    /// <summary>The pieces a stream of unknown length is read in.</summary>
    private const int PieceSize = 64 << 20;

    /// <summary>The trailing bytes counted in a stream of unknown length, which could be endless.</summary>
    private const int TrailingCountLimit = 1 << 20;

    private readonly Stream _source;
    private readonly bool _ownsSource;
    private readonly Stream _content;
    private readonly string _name;
    private readonly string _contentName;
    private readonly bool _gzip;
    private readonly long? _available;

    private IdxFileReader(Stream source, string name, bool ownsSource)
    {
        _source = source;
        _ownsSource = ownsSource;
        _name = name;
        _contentName = "the file";
        try
        {
            _available = source.CanSeek ? source.Length - source.Position : null;
            Span<byte> start = stackalloc byte[4];
            int got = source.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
            _gzip = got >= 2 && start[0] == 0x1f && start[1] == 0x8b;
            Stream content = new PrefixedStream(start[..got], source);
            _content = _gzip ? new GZipStream(content, CompressionMode.Decompress, leaveOpen: true) : content;
            if (_gzip) _contentName = "the decompressed data";
            Dimensions = ReadHeader();
        }
        catch (Exception ex) when (Translated(ex) is { } problem)
        {
            throw problem;
        }
    }

    /// <summary>The dimensions the header gives, outermost first (for images: count, rows, columns).</summary>
    public int[] Dimensions { get; }

    /// <summary>The bytes of the header (4 + 4 per dimension).</summary>
    private int HeaderLength => 4 + 4 * Dimensions.Length;

    /// <summary>The bytes of data the header claims: the product of the dimensions.</summary>
    private long DataLength
    {
        get
        {
            long size = 1;
            foreach (int d in Dimensions) size *= d;
            return size;
        }
    }

    /// <summary>Opens the IDX file at <paramref name="path"/>, gzipped or plain, and reads its header.</summary>
    /// <exception cref="DataFormatException">The file is missing, not a regular file, unreadable, or its header is not valid.</exception>
    public static IdxFileReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FileStream file = ReadableFile.OpenData(path);
        try
        {
            return new IdxFileReader(file, path, ownsSource: true);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Reads the header of an IDX file, gzipped or plain, from <paramref name="stream"/>, which is left open.</summary>
    /// <exception cref="DataFormatException">The stream is unreadable or the header is not valid.</exception>
    public static IdxFileReader From(Stream stream, string displayName) => new(stream, displayName, ownsSource: false);

    /// <summary>Reads the data, checks that the file ends with it, and returns the file's content.</summary>
    /// <exception cref="DataFormatException">The file is truncated, has bytes after the data, or cannot be read.</exception>
    public IdxFile ReadAll()
    {
        try
        {
            return ReadData();
        }
        catch (Exception ex) when (Translated(ex) is { } problem)
        {
            throw problem;
        }
    }

    private IdxFile ReadData()
    {
        int size = (int)DataLength; // checked against Array.MaxLength by the header
        long total = HeaderLength + (long)size;
        byte[]? data = _available is null ? ReadInPieces(size, out int got) : ReadDirectly(size, out got);
        if (data is null || got < size)
        {
            throw new DataFormatException(_name,
                $"truncated: header says {Describe(Dimensions)} ({total} bytes) but {_contentName} ends after {HeaderLength + (long)got} bytes");
        }
        long extra = CountRemaining(_available is null ? TrailingCountLimit : long.MaxValue);
        if (extra > 0)
        {
            string more = extra >= TrailingCountLimit && _available is null ? $"at least {extra}" : $"{extra}";
            throw new DataFormatException(_name,
                $"trailing data: header says {Describe(Dimensions)} ({total} bytes) but {_contentName} has {more} more bytes after them");
        }
        return new IdxFile(Dimensions, data);
    }

    /// <summary>Closes the file (a stream given to <see cref="From"/> is left open).</summary>
    public void Dispose()
    {
        if (_gzip) _content.Dispose();
        if (_ownsSource) _source.Dispose();
    }

    private int[] ReadHeader()
    {
        Span<byte> magic = stackalloc byte[4];
        int got = _content.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        if (got == 0) throw Fail(_gzip ? "empty: the decompressed data has no bytes" : "empty file");
        if ((got >= 1 && magic[0] != 0) || (got >= 2 && magic[1] != 0))
        {
            throw Fail($"not an IDX file: it starts with {Hex(magic[..got])} but an IDX file starts with two zero bytes, a type code and a dimension count");
        }
        if (got < 4) throw Fail($"truncated: {_contentName} ends after {got} bytes, inside the 4-byte IDX header");

        byte type = magic[2];
        if (type != UnsignedByteType)
            throw Fail($"unsupported data type 0x{type:X2} ({TypeName(type)}): only 0x08 (unsigned byte) is supported");
        int rank = magic[3];
        if (rank is < 1 or > MaxDimensions) throw Fail($"unsupported number of dimensions: {rank} (expected 1 to {MaxDimensions})");

        int headerLength = 4 + 4 * rank;
        Span<byte> dimensionBytes = stackalloc byte[4 * MaxDimensions];
        dimensionBytes = dimensionBytes[..(4 * rank)];
        got = _content.ReadAtLeast(dimensionBytes, dimensionBytes.Length, throwOnEndOfStream: false);
        if (got < dimensionBytes.Length)
            throw Fail($"truncated: {_contentName} ends after {4 + got} bytes, inside the header ({headerLength} bytes for {rank} dimensions)");

        var dimensions = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int d = BinaryPrimitives.ReadInt32BigEndian(dimensionBytes.Slice(4 * i, 4));
            if (d <= 0) throw Fail($"dimension {i + 1} of {rank} is {d}; every dimension must be positive");
            dimensions[i] = d;
        }
        long size = 1;
        foreach (int d in dimensions)
        {
            size *= d; // both factors are below 2^31, so this cannot overflow a long before the check below
            if (size > Array.MaxLength - headerLength)
                throw Fail($"too large: the dimensions {string.Join("x", dimensions)} describe more than the {Array.MaxLength} bytes an array can hold");
        }
        CheckCapacity(dimensions, headerLength + size);
        return dimensions;
    }

    /// <summary>Refuses a header that claims more bytes than the file could hold, before anything is allocated for them.</summary>
    private void CheckCapacity(int[] dimensions, long total)
    {
        if (_available is not long available) return;
        string claim = $"header says {Describe(dimensions)} ({total} bytes)";
        if (!_gzip)
        {
            if (total > available) throw Fail($"truncated: {claim} but the file ends after {available} bytes");
            // The length tells at once what reading to the end would find.
            if (total < available) throw Fail($"trailing data: {claim} but the file has {available - total} more bytes after them");
            return;
        }
        long capacity = available * MaxGzipRatio;
        if (total > capacity)
        {
            throw Fail($"truncated: {claim} but {available} bytes of gzip data decompress to at most {capacity} bytes " +
                $"(deflate's limit is {MaxGzipRatio}:1)");
        }
    }

    /// <summary>Reads the data into one array of its final size: the header's claim is within what the file can hold.</summary>
    private byte[] ReadDirectly(int size, out int got)
    {
        byte[] data = GC.AllocateUninitializedArray<byte>(size);
        got = _content.ReadAtLeast(data, size, throwOnEndOfStream: false);
        return data;
    }

    /// <summary>
    /// Reads the data of a stream of unknown length in pieces, then joins them: a short stream claiming gigabytes stops
    /// at its end having allocated what it held (null: truncated after <paramref name="got"/> bytes).
    /// </summary>
    private byte[]? ReadInPieces(int size, out int got)
    {
        if (size <= PieceSize) return ReadDirectly(size, out got);
        var pieces = new List<byte[]>();
        got = 0;
        while (got < size)
        {
            byte[] piece = GC.AllocateUninitializedArray<byte>(Math.Min(PieceSize, size - got));
            int n = _content.ReadAtLeast(piece, piece.Length, throwOnEndOfStream: false);
            got += n;
            if (n < piece.Length) return null;
            pieces.Add(piece);
        }
        byte[] data = GC.AllocateUninitializedArray<byte>(size);
        int offset = 0;
        foreach (byte[] piece in pieces)
        {
            piece.CopyTo(data, offset);
            offset += piece.Length;
        }
        return data;
    }

    /// <summary>The bytes left after the data, counted up to <paramref name="limit"/>.</summary>
    private long CountRemaining(long limit)
    {
        Span<byte> scratch = stackalloc byte[512];
        long count = 0;
        int n;
        while (count < limit && (n = _content.Read(scratch)) > 0) count += n;
        return count;
    }

    /// <summary>A failure of the stream or of the gzip data as a <see cref="DataFormatException"/> naming the file; null for any other exception.</summary>
    private DataFormatException? Translated(Exception ex) => ex switch
    {
        // The message of the gzip exception is generic (often "unsupported compression method"), so it is left out.
        InvalidDataException when _gzip => new DataFormatException(_name, "corrupt gzip data", ex),
        IOException => new DataFormatException(_name, "cannot read: " + ex.Message, ex),
        _ => null,
    };

    private DataFormatException Fail(string problem) => new(_name, problem);

    private static string Hex(ReadOnlySpan<byte> bytes)
    {
        var parts = new string[bytes.Length];
        for (int i = 0; i < bytes.Length; i++) parts[i] = bytes[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture);
        return string.Join(" ", parts);
    }

    private static string Describe(int[] dimensions) => dimensions.Length switch
    {
        1 => $"{dimensions[0]} items",
        3 => $"{dimensions[0]} images of {dimensions[1]}x{dimensions[2]}",
        _ => $"{dimensions[0]} items of {string.Join("x", dimensions[1..])}",
    };

    private static string TypeName(byte type) => type switch
    {
        0x08 => "unsigned byte",
        0x09 => "signed byte",
        0x0B => "int16",
        0x0C => "int32",
        0x0D => "float32",
        0x0E => "float64",
        _ => "unknown type code",
    };
}
