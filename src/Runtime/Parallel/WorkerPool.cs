using System;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace NetGen;

/// <summary>
/// A fixed set of threads that run a piece of work in shares, over and over, without starting threads or allocating
/// per run: generated networks train with it on several threads (<c>threads</c> in their constructor).
/// </summary>
/// <remarks>
/// <see cref="Run"/> calls <c>work(0)</c> ... <c>work(Threads - 1)</c>, one call per share, and returns when all are done.
/// The shares run on <see cref="Workers"/> threads, the calling thread included: never more than the machine has
/// processors, so a pool of 64 shares on 2 cores runs 32 shares on each, one after another, instead of 64 threads taking
/// turns. Which thread runs a share changes nothing: each share writes only its own results. Idle threads spin briefly
/// (only while there is a core for each), then block, so a pool between epochs costs no CPU. Not for concurrent
/// <see cref="Run"/> calls: one caller at a time.
/// </remarks>
public sealed class WorkerPool : IDisposable
{
    /// <summary>How long an idle worker spins before it blocks: far longer than the gap between training steps.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 500; // 2 ms

    /// <summary>Busy spins (a few microseconds) before a waiting thread starts yielding its core.</summary>
    private const int SpinsBeforeYielding = 2000;

    private readonly Thread[] _threads;
    private readonly object _gate = new(); // a Monitor, for Wait and PulseAll
    private Action<int>? _work;
    private long _generation;
    private int _pending;
    private int _sleepers;
    private ExceptionDispatchInfo? _error;
    private volatile bool _disposed;

    /// <summary>A pool of <paramref name="threads"/> shares, run on at most <see cref="Environment.ProcessorCount"/> threads.</summary>
    public WorkerPool(int threads)
        : this(threads, Math.Min(threads, Environment.ProcessorCount))
    {
    }

    /// <summary>A pool of <paramref name="threads"/> shares run on <paramref name="workers"/> threads (the calling one and
    /// <paramref name="workers"/> - 1 background threads), at most one per share.</summary>
    public WorkerPool(int threads, int workers)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "At least one thread.");
        if (workers < 1) throw new ArgumentOutOfRangeException(nameof(workers), workers, "At least one worker.");
        Threads = threads;
        Workers = Math.Min(workers, threads);
        _threads = new Thread[Workers - 1];
        for (int i = 0; i < _threads.Length; i++)
        {
            int index = i + 1;
            _threads[i] = new Thread(() => WorkerLoop(index)) { IsBackground = true, Name = $"NetGen worker {index}" };
            _threads[i].Start();
        }
    }

    /// <summary>The shares <see cref="Run"/> splits work into: <c>work(i)</c> is called for i in 0 ... Threads - 1.</summary>
    public int Threads { get; }

    /// <summary>The threads that run the shares, the calling thread included: thread w runs shares w, w + Workers, ...</summary>
    public int Workers { get; }

    /// <summary>Runs <paramref name="work"/>(i) for i in 0 ... Threads - 1, on every worker at once; rethrows the first exception.</summary>
    public void Run(Action<int> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Workers == 1)
        {
            for (int share = 0; share < Threads; share++) work(share);
            return;
        }
        _work = work;
        _error = null;
        Volatile.Write(ref _pending, Workers - 1);
        Interlocked.Increment(ref _generation);
        if (Volatile.Read(ref _sleepers) > 0)
        {
            lock (_gate) Monitor.PulseAll(_gate);
        }
        RunShares(work, 0);
        // The other threads are working on their shares right now: spin, and after a while (more threads than
        // cores, or a busy machine) give the core to them now and then.
        for (int i = 0; Volatile.Read(ref _pending) != 0; i++)
        {
            if (i < SpinsBeforeYielding) Thread.SpinWait(4);
            else Thread.Yield();
        }
        _work = null;
        _error?.Throw();
    }

    private void WorkerLoop(int index)
    {
        long seen = 0;
        while (true)
        {
            long generation = WaitForWork(seen);
            if (_disposed) return;
            seen = generation;
            RunShares(_work!, index);
            Interlocked.Decrement(ref _pending);
        }
    }

    /// <summary>Worker <paramref name="worker"/>'s shares, in order; the first exception is kept for the caller.</summary>
    private void RunShares(Action<int> work, int worker)
    {
        try
        {
            for (int share = worker; share < Threads; share += Workers) work(share);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _error, ExceptionDispatchInfo.Capture(e), null);
        }
    }

    private long WaitForWork(long seen)
    {
        // Spin while work is likely to come soon (yielding now and then, in case the thread that brings it needs
        // this core), then block.
        long deadline = Stopwatch.GetTimestamp() + SpinTicks;
        for (int i = 0; ; i++)
        {
            long generation = Volatile.Read(ref _generation);
            if (generation != seen || _disposed) return generation;
            if ((i & 63) == 63 && Stopwatch.GetTimestamp() > deadline) break;
            if (i < SpinsBeforeYielding) Thread.SpinWait(4);
            else Thread.Yield();
        }
        lock (_gate)
        {
            Interlocked.Increment(ref _sleepers);
            try
            {
                while (true)
                {
                    long generation = Interlocked.Read(ref _generation);
                    if (generation != seen || _disposed) return generation;
                    Monitor.Wait(_gate);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _sleepers);
            }
        }
    }

    /// <summary>Stops the pool's threads (after any run in progress).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        lock (_gate) Monitor.PulseAll(_gate);
        foreach (Thread thread in _threads) thread.Join();
    }
}
