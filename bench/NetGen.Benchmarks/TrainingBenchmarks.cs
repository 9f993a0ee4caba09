using System;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

// The training and inference benchmarks of the generated "mnist" network (MnistNet.cs), on the MNIST files in
// data/mnist. Every class is in this namespace, so `--filter '*Training*'` runs all of them. Jobs are short on
// purpose ([ShortJob]: one launch, few iterations) so that the whole group takes a few minutes on 2 cores; a job named on
// the command line (--job dry) replaces them. See bench/README.md.
namespace NetGen.Benchmarks.Training;

/// <summary>
/// One <c>TrainStep</c> (forward, backward, Adam) per call at batch 32 (the spec's batch size) and 128 (a network
/// built with maxBatchSize 128), on 1 and 2 training threads. The batches are real MNIST images, scaled to floats in
/// setup; 16 different ones are cycled so that the branch predictor and the caches cannot settle on one.
/// The network keeps training from call to call, as it does in an epoch.
/// </summary>
[MemoryDiagnoser]
[ShortJob(warmupCount: 3, iterationCount: 5)]
public class TrainStepBenchmarks
{
    private const int Batches = 16;

    private MnistNet _net = null!;
    private float[] _inputs = [];
    private int[] _labels = [];
    private int _next;

    /// <summary>Threads that train (the network's constructor argument).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Rows per step (and the network's maxBatchSize).</summary>
    [Params(32, 128)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        ImageDataset train = MnistData.LoadTrain(BenchmarkData.Directory());
        (_inputs, _labels) = BenchmarkData.Scaled(train, BenchmarkData.ShuffledIndices(train.Count, Batches * BatchSize));
        _net = new MnistNet(seed: 1, maxBatchSize: BatchSize, threads: Threads);
    }

    [GlobalCleanup]
    public void Cleanup() => _net.Dispose();

    [Benchmark]
    public float TrainStep()
    {
        int batch = _next;
        _next = (batch + 1) % Batches;
        return _net.TrainStep(
            _inputs.AsSpan(batch * BatchSize * MnistNet.InputSize, BatchSize * MnistNet.InputSize),
            _labels.AsSpan(batch * BatchSize, BatchSize));
    }
}

/// <summary>
/// One epoch of <see cref="TrainingLoop.Train"/> over the 60,000 training images at batch 32, on 1 and 2 training threads.
/// Measured: the loop's buffers, the shuffle, scaling every batch from bytes and 1,875 TrainSteps; each iteration trains a
/// fresh network from seed 1, so every iteration does the same work. Not measured: building and disposing that network
/// (initializing 109,386 parameters, starting the worker thread), done in <c>[IterationSetup]</c>/<c>[IterationCleanup]</c>,
/// and loading the data (global setup). One invocation per iteration (RunStrategy.Monitoring: no pilot, no overhead subtraction).
/// </summary>
[MemoryDiagnoser]
[ShortJob(warmupCount: 1, iterationCount: 5, strategy: RunStrategy.Monitoring)]
public class EpochBenchmarks
{
    private ImageDataset _train = null!;
    private MnistNet? _net;

    /// <summary>Threads that train (the network's constructor argument).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup() => _train = MnistData.LoadTrain(BenchmarkData.Directory());

    [IterationSetup]
    public void NewNetwork() => _net = new MnistNet(seed: 1, threads: Threads);

    [IterationCleanup]
    public void DisposeNetwork()
    {
        _net?.Dispose();
        _net = null;
    }

    /// <summary>Returns the epoch's mean loss (about 0.29 for seed 1).</summary>
    [Benchmark]
    public double Epoch() => TrainingLoop.Train(_net!, _train, new TrainingOptions { Epochs = 1 })[0].Loss;
}

/// <summary>
/// Adam alone over the 109,386 parameters (after one ComputeGradients in setup; the gradients stay, each call is one more
/// step with them), on 1 and 2 threads.
/// </summary>
[MemoryDiagnoser]
[ShortJob(warmupCount: 3, iterationCount: 5)]
public class OptimizerStepBenchmarks
{
    private MnistNet _net = null!;

    /// <summary>Threads that train (the network's constructor argument); OptimizerStep splits every tensor among them.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        ImageDataset train = MnistData.LoadTrain(BenchmarkData.Directory());
        (float[] inputs, int[] labels) = BenchmarkData.Scaled(train, BenchmarkData.ShuffledIndices(train.Count, 32));
        _net = new MnistNet(seed: 1, threads: Threads);
        _net.ComputeGradients(inputs, labels);
    }

    [GlobalCleanup]
    public void Cleanup() => _net.Dispose();

    [Benchmark]
    public void OptimizerStep() => _net.OptimizerStep();
}

/// <summary>
/// Inference on the 10,000 test images with a network trained for one epoch in setup (trained weights, so the hidden
/// activations are as sparse as in real use), on 1 and 2 threads:
/// <list type="bullet">
/// <item><c>ForwardTestSet</c>: logits of all 10,000 rows, already scaled to floats in setup. With 2 threads the rows are
/// split into two contiguous halves, each passed to Forward (thread-safe) on its own thread by Parallel.For.</item>
/// <item><c>Evaluate</c>: <see cref="Evaluator.Evaluate"/>(net, test, Threads), which also scales the bytes, classifies every row
/// and fills the confusion matrix.</item>
/// </list>
/// Threads here is the inference parallelism; the network itself is built with one thread (Forward never uses its pool).
/// </summary>
[MemoryDiagnoser]
[ShortJob(warmupCount: 3, iterationCount: 5)]
public class InferenceBenchmarks
{
    private MnistNet _net = null!;
    private ImageDataset _test = null!;
    private float[] _inputs = [];
    private float[] _logits = [];
    private Action<int> _forwardShare = null!;

    /// <summary>Threads that run inference.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_net, _test) = BenchmarkData.TrainedNetwork();
        int[] all = new int[_test.Count];
        for (int i = 0; i < all.Length; i++) all[i] = i;
        (_inputs, _) = BenchmarkData.Scaled(_test, all);
        _logits = new float[_test.Count * MnistNet.OutputSize];
        _forwardShare = ForwardShare;
    }

    [GlobalCleanup]
    public void Cleanup() => _net.Dispose();

    [Benchmark]
    public void ForwardTestSet()
    {
        if (Threads == 1) _net.Forward(_inputs, _logits);
        else Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, _forwardShare);
    }

    [Benchmark]
    public EvaluationResult Evaluate() => Evaluator.Evaluate(_net, _test, Threads);

    /// <summary>Rows [rows * share / Threads, rows * (share + 1) / Threads) of the test set.</summary>
    private void ForwardShare(int share)
    {
        int rows = _test.Count;
        int first = (int)((long)rows * share / Threads);
        int end = (int)((long)rows * (share + 1) / Threads);
        _net.Forward(
            _inputs.AsSpan(first * MnistNet.InputSize, (end - first) * MnistNet.InputSize),
            _logits.AsSpan(first * MnistNet.OutputSize, (end - first) * MnistNet.OutputSize));
    }
}

/// <summary>
/// <c>Predict</c> of one image (already scaled) with a network trained for one epoch in setup; 64 different test images are
/// cycled. Predict is one row on the calling thread whatever the thread count, so this class has no Threads parameter.
/// </summary>
[MemoryDiagnoser]
[ShortJob(warmupCount: 3, iterationCount: 5)]
public class PredictBenchmarks
{
    private const int Images = 64;

    private MnistNet _net = null!;
    private float[] _inputs = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        ImageDataset test;
        (_net, test) = BenchmarkData.TrainedNetwork();
        (_inputs, _) = BenchmarkData.Scaled(test, BenchmarkData.ShuffledIndices(test.Count, Images));
    }

    [GlobalCleanup]
    public void Cleanup() => _net.Dispose();

    [Benchmark]
    public int Predict()
    {
        int image = _next;
        _next = (image + 1) % Images;
        return _net.Predict(_inputs.AsSpan(image * MnistNet.InputSize, MnistNet.InputSize));
    }
}

/// <summary>The MNIST files and the inputs the benchmarks prepare from them.</summary>
internal static class BenchmarkData
{
    /// <summary>
    /// data/mnist, searched upwards from the current folder and from the program's folder. BenchmarkDotNet runs each
    /// benchmark in a generated project under this project's bin/, inside the repository, so both searches reach it.
    /// </summary>
    public static string Directory()
    {
        string directory = MnistData.FindDirectory() ?? throw new InvalidOperationException(
            $"No data/mnist folder found upwards of the current folder ({Environment.CurrentDirectory}) or of the program's folder ({AppContext.BaseDirectory}).");
        Console.WriteLine($"// MNIST data: {directory}");
        return directory;
    }

    /// <summary>The first <paramref name="count"/> of a fixed shuffle (seed 1) of 0 .. <paramref name="total"/> - 1.</summary>
    public static int[] ShuffledIndices(int total, int count)
    {
        int[] order = new int[total];
        for (int i = 0; i < total; i++) order[i] = i;
        new Random(1).Shuffle(order);
        return order[..count];
    }

    /// <summary>The images at <paramref name="indices"/> scaled to [0, 1], row after row, and their labels.</summary>
    public static (float[] Inputs, int[] Labels) Scaled(ImageDataset data, int[] indices)
    {
        float[] inputs = new float[indices.Length * data.PixelsPerImage];
        int[] labels = new int[indices.Length];
        data.CopyBatchScaled(indices, inputs, labels);
        return (inputs, labels);
    }

    /// <summary>A network (one thread, seed 1) trained for one epoch at batch 32, and the test set; checks it learned.</summary>
    public static (MnistNet Network, ImageDataset Test) TrainedNetwork()
    {
        (ImageDataset train, ImageDataset test) = MnistData.Load(Directory());
        var net = new MnistNet(seed: 1);
        TrainingLoop.Train(net, train, new TrainingOptions { Epochs = 1 });
        EvaluationResult result = Evaluator.Evaluate(net, test);
        Console.WriteLine($"// After one epoch: {result}");
        if (result.Accuracy < 90) throw new InvalidOperationException($"The network did not learn: {result}");
        return (net, test);
    }
}

/// <summary>
/// The fit loop on data in memory: <see cref="Trainer.Fit"/> over the same 60,000 training images as
/// <see cref="EpochBenchmarks"/>, but as floats already scaled (an <see cref="ArrayDataset"/>, as a user's own arrays or a
/// CSV file give them), one epoch at batch 32 on one thread; and the tabular example, breast_cancer (data/breast_cancer:
/// 341 training rows of 30 standardized features, 114 validation rows), 50 epochs with the validation rows measured after
/// each. Each iteration trains a fresh network from seed 1 (built in [IterationSetup], not measured).
/// </summary>
[MemoryDiagnoser]
[ShortJob(warmupCount: 1, iterationCount: 5, strategy: RunStrategy.Monitoring)]
public class FitBenchmarks
{
    private ArrayDataset _images = null!;
    private IDataset _rows = null!, _validation = null!;
    private MnistNet? _mnist;
    private BreastCancerNet? _table;

    [GlobalSetup]
    public void Setup()
    {
        ImageDataset train = MnistData.LoadTrain(BenchmarkData.Directory());
        var pixels = new float[train.Count * train.PixelsPerImage];
        var labels = new int[train.Count];
        train.CopyBatchScaled(System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Range(0, train.Count)), pixels, labels);
        _images = ArrayDataset.WithLabels(pixels, train.PixelsPerImage, labels, 10);

        string folder = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(BenchmarkData.Directory())!, "breast_cancer");
        var options = new CsvOptions { Targets = ["diagnosis"] };
        IDataset rows = CsvData.Load(System.IO.Path.Combine(folder, "train.csv"), options).ToDataset();
        IDataset validation = CsvData.Load(System.IO.Path.Combine(folder, "validation.csv"), options).ToDataset();
        Standardization scale = Standardization.Fit(rows);
        (_rows, _validation) = (Datasets.Standardized(rows, scale), Datasets.Standardized(validation, scale));
    }

    [IterationSetup]
    public void NewNetworks()
    {
        _mnist = new MnistNet(seed: 1);
        _table = new BreastCancerNet(seed: 1);
    }

    [IterationCleanup]
    public void DisposeNetworks()
    {
        _mnist?.Dispose();
        _table?.Dispose();
    }

    /// <summary>Returns the epoch's mean loss (the same as <see cref="EpochBenchmarks.Epoch"/>'s at one thread: the same floats in the same order).</summary>
    [Benchmark]
    public double MnistEpochFromFloats() => Trainer.Fit(_mnist!, _images, options: new TrainingOptions { Epochs = 1 }).Epochs[0].Loss;

    /// <summary>Returns the last epoch's validation accuracy.</summary>
    [Benchmark]
    public double BreastCancer50Epochs() =>
        Trainer.Fit(_table!, _rows, _validation, new TrainingOptions { Epochs = 50 }).Epochs[^1].Validation!.Accuracy!.Value;
}
