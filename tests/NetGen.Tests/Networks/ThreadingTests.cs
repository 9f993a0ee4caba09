using System;
using System.Linq;
using System.Threading;
using Xunit;
using static NetGen.Tests.Networks.NetworkTestKit;

namespace NetGen.Tests.Networks;

/// <summary>
/// Training on several threads: each thread takes a fixed share of the batch's rows into its own gradients, summed
/// in thread order. The result must equal the reference (as one thread's does), and be the same on every run.
/// </summary>
public sealed class ThreadingTests
{
    /// <summary>Every kind of layer, loss and optimizer, with 2 and 3 threads (3 does not divide the batches evenly).</summary>
    [Theory]
    [InlineData("tiny", 2)]
    [InlineData("tiny", 3)]
    [InlineData("odd", 2)]
    [InlineData("odd", 3)]
    [InlineData("digits", 2)]
    [InlineData("dropout", 2)]
    [InlineData("dropout", 3)]
    [InlineData("smooth", 2)]
    [InlineData("nobias", 3)]
    [InlineData("mse", 2)]
    [InlineData("bce", 3)]
    [InlineData("adamw", 2)]
    [InlineData("nesterov", 2)]
    [InlineData("sgd", 3)]
    [InlineData("actlayers", 2)]
    [InlineData("actlast", 3)]
    [InlineData("actrelu", 2)]
    public void SeveralThreads_MatchReference(string name, int threads)
    {
        using ITestNetwork net = Create(name, seed: 41, threads: threads);
        Assert.Equal(threads, net.Threads);
        ReferenceComparisonTests.AssertTrainingMatchesReference(net, rows: net.MaxBatchSize, dataSeed: 900, requireSkippedZeros: false);
    }

    /// <summary>Fewer rows than threads: some threads get no rows and must contribute nothing.</summary>
    [Theory]
    [InlineData("tiny", 3, 1)]
    [InlineData("odd", 4, 2)]
    [InlineData("dropout", 4, 1)]
    public void FewerRowsThanThreads_MatchReference(string name, int threads, int rows)
    {
        using ITestNetwork net = Create(name, seed: 42, threads: threads);
        ReferenceComparisonTests.AssertTrainingMatchesReference(net, rows: rows, dataSeed: 910, requireSkippedZeros: false);
    }

    /// <summary>A seed and a thread count fix the result bit for bit (the reduction order does not depend on timing).</summary>
    [Theory]
    [InlineData("odd", 2)]
    [InlineData("dropout", 3)]
    [InlineData("digits", 2)]
    public void SameSeedAndThreads_GiveIdenticalWeights(string name, int threads)
    {
        float[][] Train()
        {
            using ITestNetwork net = Create(name, seed: 43, threads: threads);
            for (int step = 0; step < 20; step++)
                net.TrainStep(RandomInputs(920 + step, net.MaxBatchSize, net.InputSize), RandomLabels(940 + step, net.MaxBatchSize, net));
            return net.Parameters.Select(p => p.Values.ToArray()).ToArray();
        }

        float[][] first = Train(), second = Train();
        for (int i = 0; i < first.Length; i++) Assert.Equal(first[i], second[i]);
    }

    [Fact]
    public void Disposed_network_refuses_to_train_but_still_predicts()
    {
        ITestNetwork net = Create("tiny", seed: 44, threads: 2);
        float[] inputs = RandomInputs(950, net.MaxBatchSize, net.InputSize);
        int[] labels = RandomLabels(951, net.MaxBatchSize, net);
        net.TrainStep(inputs, labels);
        net.Dispose();
        net.Dispose(); // twice is fine
        Assert.Throws<ObjectDisposedException>(() => net.TrainStep(inputs, labels));
        Assert.InRange(net.Predict(inputs.AsSpan(0, net.InputSize)), 0, net.ClassCount - 1);
    }

    [Fact]
    public void Thread_count_out_of_range_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TinyNet(threads: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TinyNet(threads: 257));
    }
}

public sealed class WorkerPoolTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void Every_index_runs_once_per_run(int threads)
    {
        using var pool = new WorkerPool(threads);
        var counts = new int[threads];
        for (int run = 0; run < 1000; run++) pool.Run(i => Interlocked.Increment(ref counts[i]));
        Assert.All(counts, c => Assert.Equal(1000, c));
    }

    [Fact]
    public void Work_runs_on_the_caller_and_on_other_threads()
    {
        using var pool = new WorkerPool(3);
        var threadIds = new int[3];
        pool.Run(i => threadIds[i] = Environment.CurrentManagedThreadId);
        Assert.Equal(Environment.CurrentManagedThreadId, threadIds[0]);
        Assert.Equal(3, threadIds.Distinct().Count());
    }

    [Fact]
    public void An_exception_on_a_worker_reaches_the_caller_and_the_pool_keeps_working()
    {
        using var pool = new WorkerPool(2);
        var error = Assert.Throws<InvalidOperationException>(() => pool.Run(i =>
        {
            if (i == 1) throw new InvalidOperationException("from worker 1");
        }));
        Assert.Equal("from worker 1", error.Message);
        int sum = 0;
        pool.Run(i => Interlocked.Add(ref sum, i + 1));
        Assert.Equal(3, sum);
    }

    [Fact]
    public void Idle_workers_wake_up_after_blocking()
    {
        using var pool = new WorkerPool(2);
        int ran = 0;
        pool.Run(_ => Interlocked.Increment(ref ran));
        Thread.Sleep(200); // long enough for the worker to stop spinning and block
        pool.Run(_ => Interlocked.Increment(ref ran));
        Assert.Equal(4, ran);
    }
}
