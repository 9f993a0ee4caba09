using System;
using System.IO;

namespace NetGen;

/// <summary>
/// Writes a file completely or not at all: into a temporary file beside its final target (<c>.NAME.0123456789ab.tmp</c>),
/// flushed to disk, then renamed over the target in one step. A full disk, an error or a killed process leaves the file
/// that was there as it was.
/// </summary>
public static class AtomicFile
{
    private const string TemporarySuffix = ".tmp";
    private const int TemporaryDigits = 12;

    /// <summary>Replaces <paramref name="path"/> with what <paramref name="write"/> writes, atomically.</summary>
    /// <param name="path">The file to write (created, or replaced if it exists); its folder must exist.</param>
    /// <param name="write">Writes the content to the stream it is given (a temporary file, flushed and closed after it returns).</param>
    /// <remarks>
    /// <para>
    /// A symbolic link is written through: its final target is replaced, in the target's folder, and the link keeps
    /// pointing at the new content. A path that exists and is not a regular file (a folder, a device such as
    /// <c>/dev/full</c>, a named pipe, a link to <c>/proc/self/fd/1</c>) is refused and nothing is written.
    /// </para>
    /// <para>
    /// The write holds the file's <see cref="FileLock"/>: the one this process holds, else one taken for the write (refused
    /// if another process holds it). Holding it, it first deletes the temporary files of earlier writes of the same file
    /// that a killed process left behind (<c>.NAME.HEX.tmp</c>, with NAME this file's name; no other file's).
    /// </para>
    /// </remarks>
    /// <exception cref="IOException">
    /// The file cannot be written; the message is one line, <c>PATH: cannot write: PROBLEM</c>, naming the path given (never
    /// the temporary file). A file already at <paramref name="path"/> is left as it was.
    /// </exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);

        string target;
        try
        {
            target = FileFacts.Resolve(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw WriteErrors.CannotWrite(path, e.Message, e);
        }
        FileKind kind = FileFacts.KindOf(path);
        if (kind is not (FileKind.Missing or FileKind.Regular))
            throw WriteErrors.CannotWrite(path, $"it is {FileFacts.Describe(kind)}, not a regular file");
        if (kind == FileKind.Missing && new FileInfo(target).LinkTarget is not null)
            throw WriteErrors.CannotWrite(path, "it is a symbolic link that leads to no file (a loop of links)");
        string folder = Path.GetDirectoryName(target) ?? throw WriteErrors.CannotWrite(path, "the path has no folder");
        if (!Directory.Exists(folder)) throw WriteErrors.CannotWrite(path, $"the folder {folder} does not exist");

        FileLock? taken = null;
        if (!FileLock.IsHeldHere(target))
        {
            if (!FileLock.TryAcquire(path, out taken))
                throw WriteErrors.CannotWrite(path, $"another process is writing it (it holds the lock file {FileLock.LockFileOf(target)})");
        }

        string temporary = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid().ToString("N")[..TemporaryDigits]}{TemporarySuffix}");
        bool renamed = false;
        try
        {
            RemoveStaleTemporaries(target);
            // Same folder as the target, so that the rename stays on one file system and replaces the target in one step.
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(file);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, target, overwrite: true);
            renamed = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw WriteErrors.CannotWrite(path, WriteErrors.Problem(e, temporary, folder), e);
        }
        finally
        {
            if (!renamed) TryDelete(temporary);
            taken?.Dispose();
        }
    }

    /// <summary>
    /// Deletes the temporary files earlier writes of <paramref name="target"/> left: <c>.NAME.HEX.tmp</c> in its folder, HEX
    /// being 8 to 32 lower-case hexadecimal digits (12 now; 8 in metrics files of 0.1.0). Only while holding its lock.
    /// </summary>
    internal static void RemoveStaleTemporaries(string target)
    {
        string folder = Path.GetDirectoryName(target)!;
        string prefix = "." + Path.GetFileName(target) + ".";
        try
        {
            foreach (string file in Directory.EnumerateFiles(folder, "*" + TemporarySuffix))
            {
                if (IsTemporaryOf(Path.GetFileName(file), prefix)) TryDelete(file);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // An unreadable folder: the write that follows says what is wrong.
        }
    }

    private static bool IsTemporaryOf(string name, string prefix)
    {
        if (!name.StartsWith(prefix, StringComparison.Ordinal) || !name.EndsWith(TemporarySuffix, StringComparison.Ordinal)) return false;
        ReadOnlySpan<char> digits = name.AsSpan(prefix.Length, name.Length - prefix.Length - TemporarySuffix.Length);
        if (digits.Length is < 8 or > 32) return false;
        foreach (char c in digits)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c)) return false;
        }
        return true;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing more can be done; its name says what it is, and the next write of the file removes it.
        }
    }
}
