using System;
using System.IO;

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
    /// <summary>Reads the IDX file at <paramref name="path"/>, gzipped or plain.</summary>
    /// <param name="path">The file; it is also the name used in error messages.</param>
    /// <returns>The dimensions and data of the file.</returns>
    /// <exception cref="DataFormatException">
    /// The file is missing, not a regular file (a folder, a named pipe, a device: refused without opening it), unreadable,
    /// or not a valid IDX file of unsigned bytes; a header that claims more data than the file could hold (plain: its
    /// length; gzipped: 1032 times its length, deflate's largest expansion) is refused before anything is allocated.
    /// </exception>
    public static IdxFile Read(string path)
    {
        using IdxFileReader reader = IdxFileReader.Open(path);
        return reader.ReadAll();
    }

    /// <summary>Reads an IDX file, gzipped or plain, from <paramref name="stream"/>, which is read to its end and left open.</summary>
    /// <param name="stream">The content of the file. If it can seek, its length bounds what the header may claim, as a file's does.</param>
    /// <param name="displayName">The name of the file in error messages.</param>
    /// <returns>The dimensions and data of the file.</returns>
    /// <exception cref="DataFormatException">The content is unreadable or not a valid IDX file of unsigned bytes.</exception>
    public static IdxFile Read(Stream stream, string displayName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(displayName);
        using IdxFileReader reader = IdxFileReader.From(stream, displayName);
        return reader.ReadAll();
    }
}
