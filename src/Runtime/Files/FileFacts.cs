using System;
using System.IO;
using Microsoft.Win32.SafeHandles;

namespace NetGen;

/// <summary>
/// What a path names on disk, read without opening it (opening a named pipe waits for a writer): its kind and its identity.
/// On Linux from <c>statx</c>; elsewhere from what .NET tells (regular files and folders, identity by resolved full path).
/// </summary>
public static class FileFacts
{
    /// <summary>The kind of file <paramref name="path"/> names, symbolic links followed; <see cref="FileKind.Missing"/> if none.</summary>
    public static FileKind KindOf(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (OperatingSystem.IsLinux()) return Statx.Of(path, out Statx.Status status) ? status.Kind : FileKind.Missing;
        if (Directory.Exists(path)) return FileKind.Directory;
        return File.Exists(path) ? FileKind.Regular : FileKind.Missing;
    }

    /// <summary>The identity of the file <paramref name="path"/> names, symbolic links followed; null if there is none.</summary>
    public static FileIdentity? IdentityOf(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (OperatingSystem.IsLinux()) return Statx.Of(path, out Statx.Status status) ? status.Identity : null;
        if (!File.Exists(path) && !Directory.Exists(path)) return null;
        return new FileIdentity(0, (ulong)StringComparer.OrdinalIgnoreCase.GetHashCode(Resolve(path)));
    }

    /// <summary>The identity of the file an open handle refers to (after a rename or unlink, not what its path names now).</summary>
    public static FileIdentity? IdentityOf(SafeFileHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (OperatingSystem.IsLinux()) return Statx.Of(handle, out Statx.Status status) ? status.Identity : null;
        return null;
    }

    /// <summary>Whether two paths name the same existing file (symbolic links followed, hard links found by identity).</summary>
    public static bool SameFile(string first, string second) =>
        IdentityOf(first) is { } a && IdentityOf(second) is { } b && a == b;

    /// <summary>
    /// The path a write should go to so that a symbolic link keeps pointing at the result: the final target of
    /// <paramref name="path"/>'s chain of links (relative links resolved from their own folder), else the full path itself.
    /// </summary>
    public static string Resolve(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        try
        {
            FileSystemInfo? target = File.ResolveLinkTarget(full, returnFinalTarget: true);
            return target is null ? full : Path.GetFullPath(target.FullName);
        }
        catch (IOException)
        {
            return full; // a loop of links, or a link the system cannot read: the path as it is
        }
    }

    /// <summary>The kind in words, for messages: "a folder", "a named pipe (FIFO)", ...</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Missing => "missing",
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a folder",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Fifo => "a named pipe (FIFO)",
        FileKind.Socket => "a socket",
        _ => "not a regular file",
    };
}
