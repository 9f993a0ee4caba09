using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using Xunit;

namespace NetGen.Testing;

/// <summary>
/// A named pipe (FIFO) made for a test, and the guard that keeps the test run from hanging on it if the code under test
/// opens it after all: <see cref="Within"/> runs that code on another thread and, past the time limit, opens the pipe's
/// other end to release it, then fails. Linux only (<see cref="Supported"/>); linked into both test projects.
/// </summary>
internal sealed class NamedPipe : IDisposable
{
    private const int WriteOnly = 1, NonBlocking = 0x800, GetFlags = 3, SetFlags = 4; // O_WRONLY, O_NONBLOCK, F_GETFL, F_SETFL
    private const int NoReader = 6; // ENXIO: a non-blocking open for writing found no reader

    private readonly byte[]? _start;
    private readonly Thread? _writer;
    private volatile bool _stop;

    private NamedPipe(string path, byte[]? start)
    {
        Path = path;
        _start = start;
        if (mkfifo(path, 0b110_000_000) != 0) throw new IOException($"mkfifo {path}: error {Marshal.GetLastPInvokeError()}");
        if (start is null) return;
        _writer = new Thread(WriteEndlessly) { IsBackground = true, Name = "named pipe writer" };
        _writer.Start();
    }

    /// <summary>Whether named pipes can be made here.</summary>
    public static bool Supported => OperatingSystem.IsLinux();

    /// <summary>The pipe's path.</summary>
    public string Path { get; }

    /// <summary>A pipe nobody writes to: opening it to read waits for a writer forever.</summary>
    public static NamedPipe Silent(string path) => new(path, null);

    /// <summary>A pipe whose writer, once a reader opens it, sends <paramref name="start"/> then zero bytes without end.</summary>
    public static NamedPipe Endless(string path, byte[] start) => new(path, start);

    /// <summary>
    /// Runs <paramref name="action"/> and returns its result; fails if it takes longer than <paramref name="limit"/>
    /// (it opened the pipe and waits on it), after releasing it so that the thread ends.
    /// </summary>
    public T Within<T>(TimeSpan limit, Func<T> action)
    {
        Task<T> task = Task.Run(action);
        if (((IAsyncResult)task).AsyncWaitHandle.WaitOne(limit)) return task.GetAwaiter().GetResult();
        Release();
        ((IAsyncResult)task).AsyncWaitHandle.WaitOne(limit);
        Assert.Fail($"still running after {limit.TotalSeconds} s: the code opened the named pipe {Path} and waited on it");
        return default!;
    }

    /// <summary><see cref="Within{T}"/> for an action without a result.</summary>
    public void Within(TimeSpan limit, Action action) => Within(limit, () =>
    {
        action();
        return true;
    });

    public void Dispose()
    {
        Release();
        _writer?.Join(TimeSpan.FromSeconds(10));
        File.Delete(Path);
    }

    /// <summary>Ends the writer, and wakes a reader waiting in open: a writer that opens and closes at once gives it the end of the data.</summary>
    private void Release()
    {
        _stop = true;
        int fd = open(Path, WriteOnly | NonBlocking);
        if (fd >= 0) close(fd);
    }

    private void WriteEndlessly()
    {
        int fd;
        while ((fd = open(Path, WriteOnly | NonBlocking)) < 0)
        {
            // No reader yet (the code under test should never open the pipe): poll rather than block in open, so Dispose ends it.
            if (_stop || Marshal.GetLastPInvokeError() != NoReader) return;
            Thread.Sleep(20);
        }
        fcntl(fd, SetFlags, fcntl(fd, GetFlags, 0) & ~NonBlocking);
        try
        {
            using var pipe = new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Write, 1);
            pipe.Write(_start);
            var zeros = new byte[1 << 16];
            while (!_stop) pipe.Write(zeros);
        }
        catch (IOException)
        {
            // The reader closed its end.
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int mkfifo(string path, uint mode);

    [DllImport("libc", SetLastError = true)]
    private static extern int open(string path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int fcntl(int fd, int command, int argument);
}
