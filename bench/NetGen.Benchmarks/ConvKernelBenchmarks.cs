using System;
using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Core = NetGen.Generated.NetGen_Benchmarks_MnistCnnCore;

namespace NetGen.Benchmarks.Convolution;

/// <summary>
/// Each conv kernel of mnist_cnn on its own, one call on a batch of 32 rows: conv1 (1 -> 16 channels, 28x28, 3x3, padding 1)
/// and conv2 (16 -> 32, 14x14), forward, input gradient (conv2; conv1's input is the image) and weight gradient. The rows are
/// what training gives them: the network is trained 300 steps first, the 32 test images then go through its own forward
/// kernels (conv1, max-pool, conv2, max-pool), and the gradients come back through its own backward kernels from a random
/// gradient of the last pooled image, masked where that is 0 as the dense layer after it masks it.
/// GFLOP/s counts a dense convolution's multiply-adds (a multiply-add is two operations): the kernels skip zeros (blank
/// pixels, ReLU zeros, pooled-away gradients), so they do less; setup prints the fraction each one does.
/// </summary>
[ShortJob(warmupCount: 3, iterationCount: 10)]
[Config(typeof(FlopsConfig))]
public class ConvKernelBenchmarks
{
    private const int Rows = 32;
    private const int Image = 28 * 28, Conv1Out = 28 * 28 * 16, Pool1Out = 14 * 14 * 16, Conv2Out = 14 * 14 * 32, Pool2Out = 7 * 7 * 32;

    /// <summary>Multiply-adds of a dense convolution: outputs x values under the kernel (padding included).</summary>
    private const double Conv1Macs = (double)Rows * Conv1Out * 9, Conv2Macs = (double)Rows * Conv2Out * 9 * 16;

    private sealed class FlopsConfig : ManualConfig
    {
        public FlopsConfig() => AddColumn(new FlopsColumn("GFLOP/s (dense)", new Dictionary<string, double>
        {
            [nameof(Conv1Forward)] = 2 * Conv1Macs,
            [nameof(Conv1WeightGradient)] = 2 * Conv1Macs,
            [nameof(Conv2Forward)] = 2 * Conv2Macs,
            [nameof(Conv2InputGradient)] = 2 * Conv2Macs,
            [nameof(Conv2WeightGradient)] = 2 * Conv2Macs,
        }));
    }

    private float[] _x = [], _w1 = [], _b1 = [], _w2 = [], _b2 = [], _wt2 = [], _dw1 = [], _db1 = [], _dw2 = [], _db2 = [];
    private float[] _y1 = [], _p1 = [], _y2 = [], _p2 = [], _dz2 = [], _dp1 = [], _dz1 = [];
    private float[] _value1 = [], _value2 = [];
    private int[] _channel1 = [], _count1 = [], _channel2 = [], _count2 = [], _arg1 = [], _arg2 = [];

    [GlobalSetup]
    public void Setup()
    {
        (ImageDataset train, ImageDataset test) = MnistData.Load(Training.BenchmarkData.Directory());
        using var net = new MnistCnn(seed: 1);
        TrainingLoop.Train(net, train.Take(300 * Rows), new TrainingOptions { Epochs = 1 });
        float[] Tensor(string name) => net.Parameters.Single(t => t.Name == name).Values;
        (_w1, _b1, _w2, _b2) = (Tensor("conv1.weight"), Tensor("conv1.bias"), Tensor("conv2.weight"), Tensor("conv2.bias"));
        _wt2 = new float[_w2.Length];
        NetGen.Kernels.Images.Transpose(_w2, _wt2, 3 * 3 * 16, 32);
        (_dw1, _db1, _dw2, _db2) = (new float[_w1.Length], new float[_b1.Length], new float[_w2.Length], new float[_b2.Length]);
        (_x, _) = Training.BenchmarkData.Scaled(test, Enumerable.Range(0, Rows).ToArray());
        (_y1, _p1, _y2, _p2) = (new float[Rows * Conv1Out], new float[Rows * Pool1Out], new float[Rows * Conv2Out], new float[Rows * Pool2Out]);
        (_channel1, _value1, _count1) = (new int[Rows * Image], new float[Rows * Image], new int[Rows * Image]);
        (_channel2, _value2, _count2) = (new int[Rows * Pool1Out], new float[Rows * Pool1Out], new int[Rows * 14 * 14]);
        (_arg1, _arg2) = (new int[Rows * Pool1Out], new int[Rows * Pool2Out]);
        Core.Conv1Forward(_x, _w1, _b1, _y1, _channel1, _value1, _count1, Rows);
        Core.Pool1Forward(_y1, _p1, _arg1, Rows);
        Core.Conv2Forward(_p1, _w2, _b2, _y2, _channel2, _value2, _count2, Rows);
        Core.Pool2Forward(_y2, _p2, _arg2, Rows);
        var random = new Random(1);
        float[] dp2 = _p2.Select(v => v == 0f ? 0f : (float)(random.NextDouble() - 0.5) * 1e-3f).ToArray();
        (_dz2, _dp1, _dz1) = (new float[Rows * Conv2Out], new float[Rows * Pool1Out], new float[Rows * Conv1Out]);
        Core.Pool2Backward(dp2, _arg2, _dz2, Rows);
        Core.Conv2InputGradient(_p1, _dz2, _wt2, _dp1, Rows);
        Core.Pool1Backward(_dp1, _arg1, _dz1, Rows);
        Console.WriteLine($"// nonzero: images {Fraction(_x):P1}, conv2's input {Fraction(_p1):P1}, conv2's dz {Fraction(_dz2):P1}, conv1's dz {Fraction(_dz1):P1}");
    }

    private static double Fraction(float[] values) => values.Count(v => v != 0f) / (double)values.Length;

    [Benchmark]
    public void Conv1Forward() => Core.Conv1Forward(_x, _w1, _b1, _y1, _channel1, _value1, _count1, Rows);

    [Benchmark]
    public void Conv1WeightGradient() => Core.Conv1WeightGradient(_dz1, _channel1, _value1, _count1, _dw1, _db1, Rows, 0, 1);

    [Benchmark]
    public void Conv2Forward() => Core.Conv2Forward(_p1, _w2, _b2, _y2, _channel2, _value2, _count2, Rows);

    [Benchmark]
    public void Conv2InputGradient() => Core.Conv2InputGradient(_p1, _dz2, _wt2, _dp1, Rows);

    [Benchmark]
    public void Conv2WeightGradient() => Core.Conv2WeightGradient(_dz2, _channel2, _value2, _count2, _dw2, _db2, Rows, 0, 1);
}

/// <summary>
/// mnist_cnn's inference, trained 300 steps in setup: <see cref="Evaluator.Evaluate"/> of the 10,000 test images on one
/// thread (scaling the bytes, Forward in chunks, the confusion matrix), and <c>Predict</c> of one image (64 test images cycled).
/// </summary>
[MemoryDiagnoser]
[ShortJob(warmupCount: 3, iterationCount: 5)]
public class CnnInferenceBenchmarks
{
    private const int Images = 64;

    private MnistCnn _net = null!;
    private ImageDataset _test = null!;
    private float[] _inputs = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        (ImageDataset train, ImageDataset test) = MnistData.Load(Training.BenchmarkData.Directory());
        _net = new MnistCnn(seed: 1);
        TrainingLoop.Train(_net, train.Take(300 * 32), new TrainingOptions { Epochs = 1 });
        _test = test;
        (_inputs, _) = Training.BenchmarkData.Scaled(test, Training.BenchmarkData.ShuffledIndices(test.Count, Images));
    }

    [GlobalCleanup]
    public void Cleanup() => _net.Dispose();

    [Benchmark]
    public EvaluationResult EvaluateTestSet() => Evaluator.Evaluate(_net, _test, 1);

    [Benchmark]
    public int Predict()
    {
        int row = _next++ % Images;
        return _net.Predict(_inputs.AsSpan(row * MnistCnn.InputSize, MnistCnn.InputSize));
    }
}
