using System;
using System.Collections.Generic;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace NetGen;

/// <summary>
/// Reads IDX files (the format of MNIST) of unsigned bytes, plain or gzipped. A gzipped file is recognised
/// by its first two bytes (1f 8b), whatever its name. Every problem is reported as a <see cref="DataFormatException"/>.
/// </summary>
/// <remarks>
/// The IDX format: two zero bytes, a type code (only 0x08, unsigned byte, is supported), the number of
/// dimensions; then each dimension as a big-endian 32-bit integer; then exactly the product of the dimensions
/// in bytes, row-major.
/// </remarks>
public static class IdxReader
{
    private const byte UnsignedByteType = 0x08;
    private const int MaxDimensions = 4;

    /// <summary>Reads the IDX file at <paramref name="path"/>, gzipped or plain.</summary>
    /// <param name="path">The file; it is also the name used in error messages.</param>
    /// <returns>The dimensions and data of the file.</returns>
    /// <exception cref="DataFormatException">The file is missing, unreadable or not a valid IDX file of unsigned bytes.</exception>
    public static IdxFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path)) throw new DataFormatException(path, "is a folder, not a file");
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DataFormatException(path, "file not found", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new DataFormatException(path, "cannot open: " + ex.Message, ex);
        }
        using (file)
        {
            return Read(file, path);
        }
    }

    /// <summary>Reads an IDX file, gzipped or plain, from <paramref name="stream"/>, which is read to its end and left open.</summary>
    /// <param name="stream">The content of the file.</param>
    /// <param name="displayName">The name of the file in error messages.</param>
    /// <returns>The dimensions and data of the file.</returns>
    /// <exception cref="DataFormatException">The content is unreadable or not a valid IDX file of unsigned bytes.</exception>
    public static IdxFile Read(Stream stream, string displayName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(displayName);
        bool gzip = false;
        try
        {
            Span<byte> start = stackalloc byte[4];
            int got = stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
            gzip = got >= 2 && start[0] == 0x1f && start[1] == 0x8b;
            Stream source = new PrefixedStream(start[..got], stream);
            if (!gzip) return Parse(source, displayName, "the file");
            using var decompressed = new GZipStream(source, CompressionMode.Decompress, leaveOpen: true);
            return Parse(decompressed, displayName, "the decompressed data");
        }
        catch (InvalidDataException ex) when (gzip)
        {
            // The message of the inner exception is generic (often "unsupported compression method"), so it is left out.
            throw new DataFormatException(displayName, "corrupt gzip data", ex);
        }
        catch (IOException ex)
        {
            throw new DataFormatException(displayName, "cannot read: " + ex.Message, ex);
        }
    }

    private static IdxFile Parse(Stream s, string name, string content)
    {
        Span<byte> magic = stackalloc byte[4];
        int got = s.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        if (got == 0) throw new DataFormatException(name, content == "the file" ? "empty file" : "empty: the decompressed data has no bytes");
        if ((got >= 1 && magic[0] != 0) || (got >= 2 && magic[1] != 0))
        {
            throw new DataFormatException(name,
                $"not an IDX file: it starts with {Hex(magic[..got])} but an IDX file starts with two zero bytes, a type code and a dimension count");
        }
        if (got < 4) throw new DataFormatException(name, $"truncated: {content} ends after {got} bytes, inside the 4-byte IDX header");

        byte type = magic[2];
        if (type != UnsignedByteType)
        {
            throw new DataFormatException(name,
                $"unsupported data type 0x{type:X2} ({TypeName(type)}): only 0x08 (unsigned byte) is supported");
        }
        int rank = magic[3];
        if (rank is < 1 or > MaxDimensions)
            throw new DataFormatException(name, $"unsupported number of dimensions: {rank} (expected 1 to {MaxDimensions})");

        int headerLength = 4 + 4 * rank;
        Span<byte> dimensionBytes = stackalloc byte[4 * MaxDimensions];
        dimensionBytes = dimensionBytes[..(4 * rank)];
        got = s.ReadAtLeast(dimensionBytes, dimensionBytes.Length, throwOnEndOfStream: false);
        if (got < dimensionBytes.Length)
        {
            throw new DataFormatException(name,
                $"truncated: {content} ends after {4 + got} bytes, inside the header ({headerLength} bytes for {rank} dimensions)");
        }

        var dimensions = new int[rank];
        long size = 1;
        for (int i = 0; i < rank; i++)
        {
            int d = BinaryPrimitives.ReadInt32BigEndian(dimensionBytes.Slice(4 * i, 4));
            if (d <= 0)
                throw new DataFormatException(name, $"dimension {i + 1} of {rank} is {d}; every dimension must be positive");
            dimensions[i] = d;
        }
        foreach (int d in dimensions)
        {
            size *= d; // both factors are below 2^31, so this cannot overflow a long before the check below
            if (size > Array.MaxLength - headerLength)
            {
                throw new DataFormatException(name,
                    $"too large: the dimensions {string.Join("x", dimensions)} describe more than the {Array.MaxLength} bytes an array can hold");
            }
        }

        byte[] data = ReadData(s, (int)size, out got);
        if (got < size)
        {
            throw new DataFormatException(name,
                $"truncated: header says {Describe(dimensions)} ({headerLength + size} bytes) but {content} ends after {headerLength + got} bytes");
        }

        long extra = CountRemaining(s);
        if (extra > 0)
        {
            throw new DataFormatException(name,
                $"trailing data: header says {Describe(dimensions)} ({headerLength + size} bytes) but {content} has {extra} more bytes after them");
        }
        return new IdxFile(dimensions, data);
    }

    /// <summary>Above this many bytes the data is read in pieces, so a short file whose header claims gigabytes
    /// fails as truncated without first allocating what it claims.</summary>
    private const int DirectReadLimit = 64 << 20;

    /// <summary>Reads up to <paramref name="size"/> bytes; the array is complete only if <paramref name="got"/> equals it.</summary>
    private static byte[] ReadData(Stream s, int size, out int got)
    {
        if (size <= DirectReadLimit)
        {
            byte[] direct = GC.AllocateUninitializedArray<byte>(size);
            got = s.ReadAtLeast(direct, size, throwOnEndOfStream: false);
            return direct;
        }
        var pieces = new List<byte[]>();
        got = 0;
        while (got < size)
        {
            byte[] piece = GC.AllocateUninitializedArray<byte>(Math.Min(DirectReadLimit, size - got));
            int n = s.ReadAtLeast(piece, piece.Length, throwOnEndOfStream: false);
            got += n;
            if (n < piece.Length) return Array.Empty<byte>(); // truncated: the caller reports it
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

    private static long CountRemaining(Stream s)
    {
        Span<byte> scratch = stackalloc byte[512];
        long count = 0;
        int n;
        while ((n = s.Read(scratch)) > 0) count += n;
        return count;
    }

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
