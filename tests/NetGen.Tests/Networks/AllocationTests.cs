using System;
using Xunit;
using static NetGen.Tests.Networks.NetworkTestKit;

namespace NetGen.Tests.Networks;

/// <summary>Runs alone (after the parallel tests), so that the process-wide allocation counter sees only these calls.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationCollection
{
    public const string Name = "NetGen allocation measurements";
}

/// <summary>After warm-up, training and inference steps allocate nothing.</summary>
[Collection(AllocationCollection.Name)]
public sealed class AllocationTests
{
    private const int Calls = 100;

    // Short measurements: the longer one runs, the likelier the runner's threads allocate meanwhile.
    [Theory]
    [InlineData("tiny", 3)]
    [InlineData("mixed", 4)]
    [InlineData("odd", 17)]
    [InlineData("digits", 1)]
    [InlineData("dropout", 4)] // masks drawn every step
    [InlineData("momentum", 4)]
    [InlineData("nesterov", 3)]
    [InlineData("mse", 4)] // integer labels turned into one-hot targets
    [InlineData("bce", 5)]
    public void TrainStep_AllocatesNothing(string name, int batch)
    {
        ITestNetwork net = Create(name, seed: 1, maxBatchSize: batch);
        float[] inputs = RandomInputs(800, net.MaxBatchSize, net.InputSize);
        int[] labels = RandomLabels(801, net.MaxBatchSize, net);
        net.LearningRate = 1e-6f; // keep the weights (and so the work per step) essentially fixed
        AssertAllocatesNothing(() =>
        {
            for (int i = 0; i < Calls; i++) net.TrainStep(inputs, labels);
        });
    }

    /// <summary>With worker threads too: GC.GetTotalAllocatedBytes(precise: true) counts every thread's allocations.</summary>
    [Theory]
    [InlineData("tiny", 2)]
    [InlineData("odd", 3)]
    [InlineData("dropout", 2)]
    [InlineData("bce", 2)]
    public void TrainStep_OnSeveralThreads_AllocatesNothing(string name, int threads)
    {
        using ITestNetwork net = Create(name, seed: 1, threads: threads);
        float[] inputs = RandomInputs(805, net.MaxBatchSize, net.InputSize);
        int[] labels = RandomLabels(806, net.MaxBatchSize, net);
        net.LearningRate = 1e-6f;
        // Few calls per attempt and many attempts: with more threads than cores (3 on 2 here) steps are slow, and a
        // long attempt would always overlap some allocation of the test host's own threads.
        AssertAllocatesNothing(() =>
        {
            for (int i = 0; i < 10; i++) net.TrainStep(inputs, labels);
        }, attempts: 60);
    }

    /// <summary>The float-targets overloads of the networks trained with MSE and binary cross-entropy.</summary>
    [Theory]
    [InlineData("mse")]
    [InlineData("bce")]
    [InlineData("dropstats")]
    public void TrainStepAndComputeGradients_WithFloatTargets_AllocateNothing(string name)
    {
        var net = (ITargetNetwork)Create(name, seed: 1);
        float[] inputs = RandomInputs(803, net.MaxBatchSize, net.InputSize);
        float[] targets = RandomTargets(804, net.MaxBatchSize, net.OutputSize);
        net.LearningRate = 1e-6f;
        AssertAllocatesNothing(() =>
        {
            for (int i = 0; i < Calls; i++) net.TrainStep(inputs, targets);
        });
        AssertAllocatesNothing(() =>
        {
            for (int i = 0; i < Calls; i++) net.ComputeGradients(inputs, targets);
        });
    }

    [Theory]
    [InlineData("odd", 130, 100)] // three chunks of stack buffers
    [InlineData("digits", 66, 10)] // two chunks; few calls, as each costs 1.7M multiply-adds
    [InlineData("wide", 1, 100)] // rented buffers instead of the stack
    [InlineData("dropout", 130, 100)]
    [InlineData("smooth", 130, 100)]
    public void ForwardAndPredict_AllocateNothing(string name, int rows, int calls)
    {
        ITestNetwork net = Create(name, seed: 1);
        float[] inputs = RandomInputs(802, rows, net.InputSize);
        var logits = new float[rows * net.OutputSize];
        // One thread: everything runs on the calling thread, whose own counter is exact. (The process-wide one also counts
        // the test host's threads, which on a loaded machine allocate during every attempt of these longer calls.)
        AssertAllocatesNothing(() =>
        {
            for (int i = 0; i < calls; i++) net.Forward(inputs, logits);
        }, processWide: false);
        AssertAllocatesNothing(() =>
        {
            for (int i = 0; i < Calls; i++) net.Predict(inputs.AsSpan(i % rows * net.InputSize, net.InputSize));
        }, processWide: false);
    }

    /// <summary>
    /// Warms up (JIT, pooled buffers), then measures. The calls run on this thread only, whose
    /// count must stay 0 on every attempt. The process-wide counter also sees the test host's own threads (some
    /// 25 KB/s here even when no test runs), so each measurement is kept short and gets several attempts:
    /// a call that allocates does so on every one of them.
    /// </summary>
    /// <param name="processWide">Whether to check every thread's allocations (calls that use worker threads), not only this thread's.</param>
    private static void AssertAllocatesNothing(Action action, int attempts = 20, bool processWide = true)
    {
        for (int i = 0; i < 2; i++) action();
        // The least of the attempts, for this thread too: the runtime's own one-time work can allocate on the calling thread
        // (1,216 bytes once, in a run beside a busy build), but only a call that allocates does so on every attempt.
        long least = long.MaxValue, leastOnThread = long.MaxValue;
        for (int attempt = 0; attempt < attempts && (least > 0 || leastOnThread > 0); attempt++)
        {
            long threadBefore = GC.GetAllocatedBytesForCurrentThread();
            long before = GC.GetTotalAllocatedBytes(precise: true);
            action();
            long after = GC.GetTotalAllocatedBytes(precise: true);
            long threadAfter = GC.GetAllocatedBytesForCurrentThread();
            leastOnThread = Math.Min(leastOnThread, threadAfter - threadBefore);
            least = Math.Min(least, after - before);
        }
        Assert.Equal(0, leastOnThread);
        if (processWide) Assert.Equal(0, least);
    }
}
