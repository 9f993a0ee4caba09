using System;
using System.Diagnostics;
using System.IO;

namespace NetGen.Tests.Files;

/// <summary>
/// Makes the files that are not regular files (named pipes, a copy of <c>/dev/full</c>, hard links, read-only folders) and
/// holds locks from another process, with the system's own tools. Shared by the runtime's and the program's tests.
/// </summary>
internal static class SpecialFiles
{
    /// <summary>Runs a tool and returns its exit code and standard error.</summary>
    public static (int ExitCode, string Error) Run(string program, params string[] arguments)
    {
        var (code, _, error) = RunScript(program, arguments);
        return (code, error);
    }

    /// <summary>Runs a program to its end: its exit code (-1 if it cannot be started), standard output's lines and standard error.</summary>
    public static (int ExitCode, string[] Lines, string Error) RunScript(string program, params string[] arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            var error = process.StandardError.ReadToEndAsync();
            string text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, text.Split('\n', StringSplitOptions.RemoveEmptyEntries), error.Result.Trim());
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, [], $"{program}: {e.Message}");
        }
    }

    /// <summary>A named pipe made with mkfifo.</summary>
    public static void Fifo(string path)
    {
        var (code, error) = Run("mkfifo", path);
        if (code != 0) throw new InvalidOperationException($"mkfifo {path}: {error}");
    }

    /// <summary>A copy of <c>/dev/full</c> (character device 1, 7: every write fails with "no space"); null, or why not (mknod needs root).</summary>
    public static string? DevFullCopy(string path)
    {
        var (code, error) = Run("mknod", path, "c", "1", "7");
        return code == 0 ? null : $"mknod cannot make a copy of /dev/full here ({error}); the device case is skipped";
    }

    /// <summary>A hard link made with ln: a second name for the same file.</summary>
    public static void HardLink(string existing, string link)
    {
        var (code, error) = Run("ln", existing, link);
        if (code != 0) throw new InvalidOperationException($"ln {existing} {link}: {error}");
    }

    /// <summary>
    /// Makes <paramref name="folder"/> unwritable until disposed: chmod 555, or for root, who writes anyway, the immutable
    /// attribute (chattr +i). Null, with <paramref name="reason"/>, where neither works.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static IDisposable? ReadOnly(string folder, out string? reason)
    {
        reason = null;
        if (Environment.UserName != "root")
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            return new Restore(() => File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
        }
        var (code, error) = Run("chattr", "+i", folder);
        if (code != 0)
        {
            reason = $"root writes in any folder, and chattr +i failed ({error}); the read-only folder case is skipped";
            return null;
        }
        return new Restore(() => Run("chattr", "-i", folder));
    }

    /// <summary>
    /// Another process holding the flock of <paramref name="lockFile"/> (util-linux's flock, as .NET's FileShare.None takes
    /// it), until killed; null if the flock tool is missing.
    /// </summary>
    public static Process? HoldLock(string lockFile)
    {
        Process process;
        try
        {
            // --close: the sleep does not inherit the lock; only the flock process, which the test kills, holds it.
            process = Process.Start(new ProcessStartInfo("flock", ["--close", lockFile, "-c", "echo locked; exec sleep 300"]) { RedirectStandardOutput = true })!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
        if (process.StandardOutput.ReadLine() != "locked") throw new InvalidOperationException($"flock {lockFile} did not take the lock");
        return process;
    }

    /// <summary>Kills a process (SIGKILL, as kill -9) with its children, and waits for it to end.</summary>
    public static void Kill(Process process)
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    private sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }
}
