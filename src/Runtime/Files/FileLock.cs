using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.IO;

namespace NetGen;

/// <summary>
/// An exclusive claim on a file among processes, and within one: an operating-system lock on a lock file beside the
/// file's final target (<c>.NAME.lock</c> in the target's folder). It is taken without waiting and released by
/// <see cref="Dispose"/>, which deletes the lock file, or by the end of the process, however it ends.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="AtomicFile.Write"/> (and so <see cref="ModelFile.Save(string, INetwork, TrainingPosition?)"/>) writes a file
/// only while it holds the file's lock: the one this process holds, or one it takes for the write. Hold it for as long as
/// a file is yours, e.g. for a whole training run that saves after every epoch, so that a second run is refused.
/// </para>
/// <para>
/// The lock is the lock file's <c>flock</c> on Linux and macOS (.NET's <see cref="FileShare.None"/>), a share mode on
/// Windows; it is advisory, so it keeps out only programs that take it too. A lock file left by a killed process holds no
/// lock: the next claim takes it. Setting <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c> turns .NET's locking, and so this
/// claim, off.
/// </para>
/// </remarks>
public sealed class FileLock : IDisposable
{
    // The lock files this process holds, by identity, so that a write can tell it holds the claim (a second open would be refused).
    private static readonly HashSet<FileIdentity> HeldHere = [];

    private readonly FileStream _lockFile;
    private readonly FileIdentity? _identity;
    private bool _disposed;

    private FileLock(string path, string lockFilePath, FileStream lockFile, FileIdentity? identity)
    {
        Path = path;
        LockFilePath = lockFilePath;
        _lockFile = lockFile;
        _identity = identity;
    }

    /// <summary>The file claimed: the final target of the path given (symbolic links followed), as a full path.</summary>
    public string Path { get; }

    /// <summary>The lock file: <c>.NAME.lock</c> beside <see cref="Path"/>.</summary>
    public string LockFilePath { get; }

    /// <summary>
    /// Claims <paramref name="path"/> if no one holds it: false if another process, or this one, holds its lock.
    /// </summary>
    /// <param name="path">The file to claim; it need not exist, its folder must.</param>
    /// <param name="fileLock">The claim, to dispose when done; null when false is returned.</param>
    /// <exception cref="IOException">
    /// The lock file cannot be made: no such folder, no permission, a read-only file system. The message, one line,
    /// <c>PATH: cannot write: PROBLEM</c>, names <paramref name="path"/> and the folder, not the lock file.
    /// </exception>
    public static bool TryAcquire(string path, [NotNullWhen(true)] out FileLock? fileLock) =>
        TryAcquire(path, out fileLock, afterOpen: null);

    /// <summary><see cref="TryAcquire(string, out FileLock?)"/>, calling <paramref name="afterOpen"/> between opening the lock file and checking it (tests race it).</summary>
    internal static bool TryAcquire(string path, [NotNullWhen(true)] out FileLock? fileLock, Action<string>? afterOpen)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string target = FileFacts.Resolve(path);
        string lockFilePath = LockFileOf(target);
        string folder = System.IO.Path.GetDirectoryName(target) ?? "";
        if (!Directory.Exists(folder)) throw WriteErrors.CannotWrite(path, $"the folder {folder} does not exist");
        while (true)
        {
            if (FileFacts.IdentityOf(lockFilePath) is { } current && IsHeldHere(current))
            {
                fileLock = null;
                return false;
            }
            FileStream stream;
            try
            {
                stream = new FileStream(lockFilePath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
            }
            catch (IOException e) when (IsHeldElsewhere(e))
            {
                fileLock = null;
                return false;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw WriteErrors.CannotWrite(path, WriteErrors.Problem(e, lockFilePath, folder), e);
            }
            afterOpen?.Invoke(lockFilePath);
            // A holder deletes its lock file before releasing it: if ours was deleted (or replaced) between our open and our
            // lock, the path now names another file or none, and a lock on ours would exclude no one. Try again.
            // (Where a handle's identity is unknown, the path's stands in for it, and the check always passes.)
            FileIdentity? locked = FileFacts.IdentityOf(stream.SafeFileHandle) ?? FileFacts.IdentityOf(lockFilePath);
            if (FileFacts.IdentityOf(lockFilePath) != locked)
            {
                stream.Dispose();
                continue;
            }
            if (locked is { } identity) lock (HeldHere) HeldHere.Add(identity);
            fileLock = new FileLock(target, lockFilePath, stream, locked);
            return true;
        }
    }

    /// <summary>Whether this process holds the lock of <paramref name="path"/> (symbolic links followed).</summary>
    internal static bool IsHeldHere(string path) =>
        FileFacts.IdentityOf(LockFileOf(path)) is { } identity && IsHeldHere(identity);

    /// <summary>The lock file that claims <paramref name="path"/>: <c>.NAME.lock</c> beside its final target (symbolic links followed).</summary>
    public static string LockFileOf(string path)
    {
        string target = FileFacts.Resolve(path);
        return System.IO.Path.Combine(System.IO.Path.GetDirectoryName(target) ?? "", "." + System.IO.Path.GetFileName(target) + ".lock");
    }

    /// <summary>Deletes the lock file and releases the lock (in that order, so no one locks a file about to vanish unseen).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_identity is { } identity)
        {
            lock (HeldHere) HeldHere.Remove(identity);
        }
        try
        {
            // Only if the path still names our lock file (someone may have deleted it by hand and another run made a new one).
            if (_identity is null || FileFacts.IdentityOf(LockFilePath) == _identity) File.Delete(LockFilePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A lock file left behind is harmless: it holds no lock once closed.
        }
        _lockFile.Dispose();
    }

    private static bool IsHeldHere(FileIdentity identity)
    {
        lock (HeldHere) return HeldHere.Contains(identity);
    }

    /// <summary>Whether opening failed because another open file holds the lock: EWOULDBLOCK from flock, or a sharing violation on Windows.</summary>
    private static bool IsHeldElsewhere(IOException e) =>
        OperatingSystem.IsWindows() ? (e.HResult & 0xFFFF) is 32 or 33
        : e.HResult == (OperatingSystem.IsLinux() ? 11 : 35); // .NET puts errno in HResult: EWOULDBLOCK is 11 on Linux, 35 on macOS and BSD
}
