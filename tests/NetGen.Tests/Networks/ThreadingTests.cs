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

    /// <summary>A seed fixes the result bit for bit (the reduction order depends neither on timing nor on the thread count).</summary>
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

    /// <summary>
    /// The thread count does not change the result: every value of every gradient is summed over all the batch's rows in row
    /// order whatever the split, so 1, 2, 3, 5 and 64 threads train the same weights, bit for bit.
    /// </summary>
    [Theory]
    [InlineData("odd")]
    [InlineData("dropout")]
    [InlineData("digits")]
    public void Every_thread_count_trains_the_same_weights(string name)
    {
        float[][] Train(int threads)
        {
            using ITestNetwork net = Create(name, seed: 48, threads: threads);
            for (int step = 0; step < 10; step++)
                net.TrainStep(RandomInputs(990 + step, net.MaxBatchSize, net.InputSize), RandomLabels(1010 + step, net.MaxBatchSize, net));
            return net.Parameters.Select(p => p.Values.ToArray()).ToArray();
        }

        float[][] one = Train(1);
        foreach (int threads in new[] { 2, 3, 5, 64 })
        {
            float[][] many = Train(threads);
            for (int i = 0; i < one.Length; i++) Assert.Equal(one[i], many[i]);
        }
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

    /// <summary>
    /// More threads than processors and than rows: the shares run on as many threads as there are processors, and a seed still
    /// fixes the result: the reference's, and the same weights on every run.
    /// </summary>
    [Fact]
    public void Sixty_four_threads_match_the_reference_and_repeat_bit_for_bit()
    {
        using (ITestNetwork net = Create("tiny", seed: 45, maxBatchSize: 40, threads: 64))
            ReferenceComparisonTests.AssertTrainingMatchesReference(net, rows: 40, dataSeed: 930, requireSkippedZeros: false);
        float[][] Train()
        {
            using ITestNetwork net = Create("dropout", seed: 46, maxBatchSize: 40, threads: 64);
            for (int step = 0; step < 5; step++)
                net.TrainStep(RandomInputs(960 + step, 40, net.InputSize), RandomLabels(970 + step, 40, net));
            return net.Parameters.Select(p => p.Values.ToArray()).ToArray();
        }
        float[][] first = Train(), second = Train();
        for (int i = 0; i < first.Length; i++) Assert.Equal(first[i], second[i]);
    }

    /// <summary>
    /// Training calls from two threads at once on one network are caught, not raced: the second throws, naming the rule,
    /// and the network is left as the first call leaves it. Forward during a training call is caught too.
    /// </summary>
    [Fact]
    public void Overlapping_training_calls_from_two_threads_throw_instead_of_racing()
    {
        using var net = new WideNet(seed: 47, maxBatchSize: 64);
        float[] inputs = RandomInputs(980, 64, WideNet.InputSize);
        int[] labels = RandomLabels(981, 64, net);
        using var started = new ManualResetEventSlim();
        bool done = false;
        var first = new Thread(() =>
        {
            started.Set();
            for (int step = 0; step < 30; step++) net.TrainStep(inputs, labels);
            Volatile.Write(ref done, true);
        });
        first.Start();
        started.Wait();
        InvalidOperationException? caught = null, forwardCaught = null;
        var logits = new float[64 * WideNet.OutputSize];
        while (!Volatile.Read(ref done) && (caught is null || forwardCaught is null))
        {
            try
            {
                net.TrainStep(inputs, labels);
            }
            catch (InvalidOperationException e)
            {
                caught = e;
            }
            try
            {
                net.Forward(inputs, logits);
            }
            catch (InvalidOperationException e)
            {
                forwardCaught = e;
            }
        }
        first.Join();
        Assert.NotNull(caught);
        Assert.NotNull(forwardCaught);
        Assert.Contains("must not run at the same time", caught!.Message);
        Assert.Contains("one thread at a time", forwardCaught!.Message);
        // Nothing raced: the network still trains, to a finite loss.
        Assert.True(float.IsFinite(net.TrainStep(inputs, labels)));
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
        using var pool = new WorkerPool(3, workers: 3);
        var threadIds = new int[3];
        pool.Run(i => threadIds[i] = Environment.CurrentManagedThreadId);
        Assert.Equal(Environment.CurrentManagedThreadId, threadIds[0]);
        Assert.Equal(3, threadIds.Distinct().Count());
    }

    /// <summary>More shares than processors: the shares take turns on at most one thread per processor, each share once.</summary>
    [Fact]
    public void Shares_beyond_the_processors_run_on_no_more_threads_than_there_are_processors()
    {
        using var pool = new WorkerPool(64);
        Assert.Equal(64, pool.Threads);
        Assert.Equal(Math.Min(64, Environment.ProcessorCount), pool.Workers);
        var counts = new int[64];
        var threadIds = new int[64];
        for (int run = 0; run < 100; run++)
        {
            pool.Run(i =>
            {
                Interlocked.Increment(ref counts[i]);
                threadIds[i] = Environment.CurrentManagedThreadId;
            });
        }
        Assert.All(counts, c => Assert.Equal(100, c));
        Assert.True(threadIds.Distinct().Count() <= pool.Workers, $"{threadIds.Distinct().Count()} threads for {pool.Workers} workers");
    }

    [Theory]
    [InlineData(7, 1)]
    [InlineData(7, 3)]
    [InlineData(2, 5)]
    public void Worker_w_runs_shares_w_w_plus_Workers_and_so_on(int threads, int workers)
    {
        using var pool = new WorkerPool(threads, workers);
        Assert.Equal(Math.Min(threads, workers), pool.Workers);
        var threadIds = new int[threads];
        pool.Run(i => threadIds[i] = Environment.CurrentManagedThreadId);
        for (int i = 0; i < threads; i++) Assert.Equal(threadIds[i % pool.Workers], threadIds[i]);
        Assert.Equal(Environment.CurrentManagedThreadId, threadIds[0]);
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
