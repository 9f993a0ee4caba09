using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace NetGen.Cli;

/// <summary>
/// The files a command writes (<c>--save</c>, <c>--metrics</c>, <c>--plot</c>) and the model file it reads (<c>--resume</c>,
/// <c>--load</c>), settled before anything else is done: each output a regular file or a new one, in a folder that exists
/// and can be written; no output the same file as another or as the model file read (but <c>--resume X --save X</c>);
/// and the outputs and <c>--resume</c> claimed with a <see cref="FileLock"/> until disposed, so that a second run is refused.
/// </summary>
internal sealed class RunFiles : IDisposable
{
    private readonly List<FileLock> _locks;

    private RunFiles(List<FileLock> locks) => _locks = locks;

    /// <summary>Checks and claims the files of a command, or throws a <see cref="UsageException"/> naming the option and the file.</summary>
    /// <param name="outputs">The files the command writes (those without a path are not given).</param>
    /// <param name="resume">The checkpoint a training run continues (claimed too; --save may name the same file), or null.</param>
    /// <param name="load">The model file a command reads (not claimed: it may be read while a run saves it), or null.</param>
    public static RunFiles Claim(IEnumerable<FileOption> outputs, FileOption? resume = null, FileOption? load = null)
    {
        FileOption[] written = outputs.Where(o => o.Path is not null).ToArray();
        foreach (FileOption output in written) CheckOutput(output);
        FileOption? read = resume ?? load;
        for (int i = 0; i < written.Length; i++)
        {
            for (int j = 0; j < i; j++)
            {
                if (SameFile(written[j].Path!, written[i].Path!))
                {
                    throw new UsageException(
                        $"{Named(written[j])} and {Named(written[i])} name the same file, which each would overwrite: give each output a file of its own.");
                }
            }
            // The one output that may be the file read: a run that saves where it resumed from, as the Ctrl+C hint says.
            if (read?.Path is not null && SameFile(read.Path, written[i].Path!) && !(read == resume && written[i].Option == "--save"))
            {
                throw new UsageException(
                    $"{Named(written[i])} and {Named(read)} name the same file: {written[i].Option} would overwrite the model file it reads; give {written[i].Option} a file of its own.");
            }
        }

        var locks = new List<FileLock>();
        try
        {
            foreach (FileOption output in written) locks.Add(ClaimOutput(output));
            if (resume?.Path is not null && !written.Any(o => SameFile(o.Path!, resume.Path))) ClaimResume(resume, locks);
        }
        catch
        {
            foreach (FileLock claimed in locks) claimed.Dispose();
            throw;
        }
        return new RunFiles(locks);
    }

    /// <summary>Releases the claims (and deletes their lock files).</summary>
    public void Dispose()
    {
        foreach (FileLock claimed in _locks) claimed.Dispose();
        _locks.Clear();
    }

    /// <summary>An output must be a regular file or none yet, in a folder that exists.</summary>
    private static void CheckOutput(FileOption output)
    {
        string path = output.Path!;
        if (path.Length == 0) throw new UsageException($"{output.Option} needs a file name.");
        FileKind kind = FileFacts.KindOf(path);
        if (kind == FileKind.Directory) throw new UsageException($"{path}: is a folder; {output.Option} needs a file name.");
        if (kind is not (FileKind.Regular or FileKind.Missing))
            throw new UsageException($"{path}: is {FileFacts.Describe(kind)}, not a regular file; {output.Option} writes only to a regular file or a new one.");
        string? folder = Path.GetDirectoryName(FileFacts.Resolve(path));
        if (folder is not null && !Directory.Exists(folder)) throw new UsageException($"{path}: folder {folder} does not exist ({output.Option}).");
    }

    /// <summary>Claims an output; making its lock file is also the proof that its folder can be written.</summary>
    private static FileLock ClaimOutput(FileOption output)
    {
        string path = output.Path!;
        try
        {
            if (FileLock.TryAcquire(path, out FileLock? claimed)) return claimed;
        }
        catch (IOException e)
        {
            throw new UsageException($"{e.Message} ({output.Option}).");
        }
        throw InUse(output);
    }

    /// <summary>Claims the checkpoint resumed from, if its folder can be written (one that cannot is not written by anyone else either).</summary>
    private static void ClaimResume(FileOption resume, List<FileLock> locks)
    {
        bool claimed;
        FileLock? held;
        try
        {
            claimed = FileLock.TryAcquire(resume.Path!, out held);
        }
        catch (IOException)
        {
            return; // a read-only folder: the file is read, never written
        }
        if (!claimed) throw InUse(resume);
        locks.Add(held!);
    }

    private static UsageException InUse(FileOption file) =>
        new($"{file.Path}: in use by another run, which holds its lock file {FileLock.LockFileOf(file.Path!)}; wait for that run to end, or give {file.Option} another file.");

    /// <summary>
    /// Whether two paths name one file: for existing files, by identity (symbolic links followed, hard links found by device
    /// and inode); for files still to be made, by the folder they would be made in (its identity) and their name.
    /// </summary>
    internal static bool SameFile(string first, string second)
    {
        FileIdentity? a = FileFacts.IdentityOf(first), b = FileFacts.IdentityOf(second);
        if (a is not null || b is not null) return a == b;
        string targetA = FileFacts.Resolve(first), targetB = FileFacts.Resolve(second);
        if (Path.GetFileName(targetA) != Path.GetFileName(targetB)) return false;
        string folderA = Path.GetDirectoryName(targetA) ?? "", folderB = Path.GetDirectoryName(targetB) ?? "";
        return folderA == folderB || FileFacts.SameFile(folderA, folderB);
    }

    private static string Named(FileOption file) => $"{file.Option} {file.Path}";
}
