using System;
using System.IO;
using System.Linq;
using NetGen.Tests.Data;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Tests.Files;

/// <summary>
/// FileLock: one holder at a time, in this process or another; an flock that dies with its process, so a lock file left
/// by a killed process never blocks; the race with a holder deleting its lock file is lost by no one.
/// </summary>
public sealed class FileLockTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string PathOf(string name) => _temp.File(name);

    [Fact]
    public void The_lock_file_is_beside_the_final_target_while_held_and_gone_after()
    {
        string models = Directory.CreateDirectory(PathOf("models")).FullName;
        File.CreateSymbolicLink(PathOf("latest.st"), "models/model.st");

        Assert.True(FileLock.TryAcquire(PathOf("latest.st"), out FileLock? held));
        using (held)
        {
            Assert.Equal(Path.Combine(models, "model.st"), held.Path);
            Assert.Equal(Path.Combine(models, ".model.st.lock"), held.LockFilePath);
            Assert.True(File.Exists(held.LockFilePath));
            Assert.False(File.Exists(held.Path)); // claiming a file does not make it
        }
        Assert.Empty(Directory.GetFileSystemEntries(models));
    }

    [Fact]
    public void The_lock_is_an_flock_on_the_lock_file_held_by_this_process()
    {
        if (!OperatingSystem.IsLinux()) return;
        Assert.True(FileLock.TryAcquire(PathOf("model.st"), out FileLock? held));
        using (held)
        {
            // /proc/locks: "1: FLOCK  ADVISORY  WRITE 6176 fe:00:11682801 0 EOF" (pid, device, inode).
            ulong inode = FileFacts.IdentityOf(held.LockFilePath)!.Value.Inode;
            string[] ours = File.ReadAllLines("/proc/locks")
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(f => f.Length >= 6 && f[4] == Environment.ProcessId.ToString() && f[5].EndsWith($":{inode}", StringComparison.Ordinal))
                .Select(f => $"{f[1]} {f[2]} {f[3]}")
                .ToArray();
            Assert.Equal(["FLOCK ADVISORY WRITE"], ours);
        }
    }

    [Fact]
    public void A_second_claim_in_the_same_process_is_refused_until_the_first_is_released()
    {
        string path = PathOf("metrics.json");
        Assert.True(FileLock.TryAcquire(path, out FileLock? first));
        Assert.False(FileLock.TryAcquire(path, out FileLock? second));
        Assert.Null(second);
        Assert.True(FileLock.IsHeldHere(path));
        first.Dispose();
        Assert.False(FileLock.IsHeldHere(path));
        Assert.True(FileLock.TryAcquire(path, out FileLock? third));
        third.Dispose();
    }

    [Fact]
    public void A_claim_held_by_another_process_is_refused_and_a_killed_holders_lock_file_does_not_block()
    {
        if (!OperatingSystem.IsLinux()) return;
        string path = PathOf("model.st");
        using var holder = SpecialFiles.HoldLock(PathOf(".model.st.lock"));
        if (holder is null)
        {
            output.WriteLine("the flock tool is missing; skipped");
            return;
        }
        Assert.False(FileLock.TryAcquire(path, out _));

        SpecialFiles.Kill(holder);
        Assert.True(File.Exists(PathOf(".model.st.lock")), "kill -9 leaves the lock file");
        Assert.True(FileLock.TryAcquire(path, out FileLock? held));
        held.Dispose();
        Assert.False(File.Exists(PathOf(".model.st.lock")));
    }

    [Fact]
    public void A_lock_file_deleted_by_its_holder_between_open_and_lock_is_not_trusted()
    {
        if (!OperatingSystem.IsLinux()) return;
        string path = PathOf("model.st");
        int opens = 0;

        // As if the holder before us deleted the file we had just opened, then released it: our lock on it excludes no one.
        bool acquired = FileLock.TryAcquire(path, out FileLock? held, lockFile =>
        {
            if (opens++ == 0) File.Delete(lockFile);
        });

        Assert.True(acquired);
        using (held)
        {
            Assert.Equal(2, opens); // the first file, deleted, was let go and a new one made and locked
            Assert.True(File.Exists(held!.LockFilePath));
            Assert.True(FileLock.IsHeldHere(path));
            Assert.False(FileLock.TryAcquire(path, out _));
        }
    }

    [Fact]
    public void A_folder_where_no_lock_file_can_be_made_is_an_error_not_a_refusal()
    {
        var missing = Assert.Throws<IOException>(() => FileLock.TryAcquire(PathOf("missing/model.st"), out _));
        Assert.Equal($"{PathOf("missing/model.st")}: cannot write: the folder {PathOf("missing")} does not exist", missing.Message);
        if (!OperatingSystem.IsLinux()) return;
        string folder = Directory.CreateDirectory(PathOf("ro")).FullName;
        using IDisposable? readOnly = SpecialFiles.ReadOnly(folder, out string? reason);
        if (readOnly is null)
        {
            output.WriteLine(reason);
            return;
        }
        var e = Assert.Throws<IOException>(() => FileLock.TryAcquire(Path.Combine(folder, "m.json"), out _));
        Assert.Equal($"{Path.Combine(folder, "m.json")}: cannot write: no permission to write in the folder {folder}", e.Message);
    }
}
