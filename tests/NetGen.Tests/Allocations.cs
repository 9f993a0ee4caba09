using System;

namespace NetGen.Tests;

/// <summary>What a piece of code allocates on the calling thread, for tests that bound a reader's memory by its file's size.</summary>
internal static class Allocations
{
    /// <summary>Runs <paramref name="action"/> and returns its result; <paramref name="bytes"/> is what it allocated.</summary>
    public static T Measure<T>(Func<T> action, out long bytes)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        T result = action();
        bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        return result;
    }
}
