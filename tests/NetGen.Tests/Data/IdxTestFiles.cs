using System;
using System.IO;
using System.IO.Compression;

namespace NetGen.Tests.Data;

/// <summary>A fresh temporary folder for one test, deleted on Dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "netgen-data-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Builds IDX files byte by byte, independently of the reader under test.</summary>
internal static class IdxTestFiles
{
    /// <summary>An IDX file: 0, 0, type, dimension count, big-endian dimensions, data.</summary>
    public static byte[] Build(byte type, int[] dimensions, byte[] data, byte first = 0, byte second = 0)
    {
        var bytes = new byte[4 + 4 * dimensions.Length + data.Length];
        bytes[0] = first;
        bytes[1] = second;
        bytes[2] = type;
        bytes[3] = (byte)dimensions.Length;
        for (int i = 0; i < dimensions.Length; i++)
        {
            uint d = unchecked((uint)dimensions[i]);
            bytes[4 + 4 * i] = (byte)(d >> 24);
            bytes[5 + 4 * i] = (byte)(d >> 16);
            bytes[6 + 4 * i] = (byte)(d >> 8);
            bytes[7 + 4 * i] = (byte)d;
        }
        data.CopyTo(bytes, 4 + 4 * dimensions.Length);
        return bytes;
    }

    /// <summary>An unsigned-byte IDX file of the given dimensions and data.</summary>
    public static byte[] Bytes(int[] dimensions, byte[] data) => Build(0x08, dimensions, data);

    /// <summary>An images file of <paramref name="count"/> images of rows x columns whose pixels are (seed + i) mod 256.</summary>
    public static byte[] Images(int count, int rows, int columns, int seed = 0) =>
        Bytes(new[] { count, rows, columns }, Pattern(count * rows * columns, seed));

    /// <summary>A labels file.</summary>
    public static byte[] Labels(params byte[] labels) => Bytes(new[] { labels.Length }, labels);

    public static byte[] Pattern(int length, int seed = 0)
    {
        var data = new byte[length];
        for (int i = 0; i < length; i++) data[i] = (byte)((seed + 7 * i) % 256);
        return data;
    }

    public static byte[] Gzip(byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(content);
        return output.ToArray();
    }
}
