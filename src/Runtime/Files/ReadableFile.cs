using System;
using System.IO;
namespace NetGen;

/// <summary>
/// The check the runtime's readers make on a path before opening it: only a regular file is opened, because opening a
/// named pipe waits for a writer (maybe forever) and a device can give endless bytes or none.
/// </summary>
internal static class ReadableFile
{
    /// <summary>
    /// Why <paramref name="path"/> is not read ("is a named pipe (FIFO), not a regular file"), or null for a regular file
    /// and for a missing one, whose open then says what is wrong (no such file or folder, no permission).
    /// </summary>
    public static string? Refusal(string path) => FileFacts.KindOf(path) switch
    {
        FileKind.Regular or FileKind.Missing => null,
        FileKind.Directory => "is a folder, not a file",
        FileKind kind => $"is {FileFacts.Describe(kind)}, not a regular file",
    };

    /// <summary>
    /// Opens a data file for one sequential read; a path that is not a regular file (a folder, a named pipe, a device) is
    /// refused without being opened. Every failure is a one-line <see cref="DataFormatException"/> naming the file.
    /// </summary>
    public static FileStream OpenData(string path)
    {
        if (Refusal(path) is { } refusal) throw new DataFormatException(path, refusal);
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DataFormatException(path, "file not found", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new DataFormatException(path, "cannot open: " + ex.Message, ex);
        }
    }
}
