using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using NetGen.Benchmarks.Training;
using NetGen.Kernels;
using Core = NetGen.Generated.NetGen_Benchmarks_MnistNetCore;

// The roofline of mnist's training step (issue 15): the core's memory bandwidth at four working-set sizes, each kernel
// TrainStep calls on one batch of 32 real images, and inference. bench/roofline.sh runs these with FmaPeakBenchmarks and
// then `roofline-table` (RooflineTable.cs), which counts the multiply-adds and bytes and prints the table; see bench/README.md.
namespace NetGen.Benchmarks.Roofline;

/// <summary>
/// The bandwidth one core gets from each level of the memory hierarchy: <c>Read</c> sums every Vector256 of an array
/// (8 independent sums, so the adds never wait on each other); <c>Scale</c> negates every Vector256 of the array in place
/// (a load and a store per vector: read+write; negating keeps the values as they are, no denormals, no overflow). The
/// array is <see cref="KB"/> KB, aligned to 64 bytes: 16 KB (L1d, 32 KB a core here), 256 KB (L2, 512 KB a core), 8 MB
/// (L3, 32 MB shared) and 256 MB (DRAM). GB/s: bytes the call moves (the array once for Read, twice for Scale) over the mean.
/// </summary>
[ShortJob(warmupCount: 3, iterationCount: 10)]
[Config(typeof(BandwidthConfig))]
public class RooflineBandwidthBenchmarks
{
    private sealed class BandwidthConfig : ManualConfig
    {
        public BandwidthConfig() => AddColumn(new FlopsColumn("GB/s", c =>
            (c.Parameters["KB"] is int kb ? kb * 1024.0 : 0) * (c.Descriptor.WorkloadMethod.Name == nameof(Scale) ? 2 : 1),
            "GB/s: bytes read (Read) or read and written (Scale) per call over the mean time, in 10^9 per second"));
    }

    private float[] _array = [];
    private GCHandle _pin;
    private int _first, _count;

    /// <summary>Working set in KB.</summary>
    [Params(16, 256, 8 * 1024, 256 * 1024)]
    public int KB { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _count = KB * 1024 / sizeof(float);
        _array = GC.AllocateArray<float>(_count + 16, pinned: true);
        _pin = GCHandle.Alloc(_array, GCHandleType.Pinned); // only to read the address: the array is pinned already
        long address = _pin.AddrOfPinnedObject().ToInt64();
        _first = (int)((64 - address % 64) % 64) / sizeof(float);
        for (int i = 0; i < _count; i++) _array[_first + i] = 1f + (i & 7);
    }

    [GlobalCleanup]
    public void Cleanup() => _pin.Free();

    [Benchmark]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public float Read()
    {
        ref float p = ref _array[_first];
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        for (nuint i = 0, n = (nuint)_count; i < n; i += 64)
        {
            s0 += Vector256.LoadUnsafe(ref p, i); s1 += Vector256.LoadUnsafe(ref p, i + 8);
            s2 += Vector256.LoadUnsafe(ref p, i + 16); s3 += Vector256.LoadUnsafe(ref p, i + 24);
            s4 += Vector256.LoadUnsafe(ref p, i + 32); s5 += Vector256.LoadUnsafe(ref p, i + 40);
            s6 += Vector256.LoadUnsafe(ref p, i + 48); s7 += Vector256.LoadUnsafe(ref p, i + 56);
        }
        return Vector256.Sum(s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7);
    }

    [Benchmark]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Scale()
    {
        ref float p = ref _array[_first];
        for (nuint i = 0, n = (nuint)_count; i < n; i += 32)
        {
            (-Vector256.LoadUnsafe(ref p, i)).StoreUnsafe(ref p, i);
            (-Vector256.LoadUnsafe(ref p, i + 8)).StoreUnsafe(ref p, i + 8);
            (-Vector256.LoadUnsafe(ref p, i + 16)).StoreUnsafe(ref p, i + 16);
            (-Vector256.LoadUnsafe(ref p, i + 24)).StoreUnsafe(ref p, i + 24);
        }
    }
}

/// <summary>
/// Each kernel of one mnist training step on one thread, in the order <c>TrainStep</c> calls them (PassRows with the whole
/// batch, then SumGradients, then OptimizerStep), each alone on the same batch (<see cref="RooflineState"/>): fc1, fc2 and
/// fc3 forward, the cross-entropy loss, fc3's and fc2's input gradient with their weight gradients fused in (with one
/// thread TrainStep passes them dw and db), fc1's weight gradient (fc1 has no input gradient: its input is the image),
/// and Adam over the six tensors (<see cref="Adam.Update"/> as OptimizerShard calls it). Then the whole
/// <c>TrainStep</c> of the network on that batch, and inference: <c>Forward</c> over the 10,000 test images in chunks of
/// 256 rows as <c>Evaluator</c> calls it, and <c>Predict</c> of one image (64 test images cycled).
/// The kernels are the generated ones, called directly: they are internal static methods of the nested core class
/// (NetGen.Generated.NetGen_Benchmarks_MnistNetCore), in this assembly; only the loss is private, and is called through a
/// delegate made by reflection once in setup.
/// </summary>
[ShortJob(warmupCount: 3, iterationCount: 10)]
public class RooflineKernelBenchmarks
{
    private RooflineState _s = null!;
    private int _nextImage;

    [GlobalSetup]
    public void Setup()
    {
        _s = RooflineState.Create();
        Console.WriteLine($"// {_s.Describe()}");
    }

    [GlobalCleanup]
    public void Cleanup() => _s.Net.Dispose();

    [Benchmark]
    public void Fc1Forward() => Core.Fc1Forward(_s.X, _s.W1, _s.B1, _s.Y1, RooflineState.Rows);

    [Benchmark]
    public void Fc2Forward() => Core.Fc2Forward(_s.Y1, _s.W2, _s.B2, _s.Y2, RooflineState.Rows);

    [Benchmark]
    public void Fc3Forward() => Core.Fc3Forward(_s.Y2, _s.W3, _s.B3, _s.Y3, RooflineState.Rows);

    [Benchmark]
    public double Loss() => _s.CrossEntropy(_s.Y3, _s.Labels, _s.Dz3, RooflineState.Rows, RooflineState.Rows);

    [Benchmark]
    public void Fc3Backward() => Core.Fc3InputGradient(_s.Y2, _s.Dz3, _s.W3, _s.Dz2, _s.Gw3, _s.Gb3, RooflineState.Rows);

    [Benchmark]
    public void Fc2Backward() => Core.Fc2InputGradient(_s.Y1, _s.Dz2, _s.W2, _s.Dz1, _s.Gw2, _s.Gb2, RooflineState.Rows);

    [Benchmark]
    public void Fc1WeightGradient() => Core.Fc1WeightGradient(_s.X, _s.Dz1, _s.Gw1, _s.Gb1, RooflineState.Rows, 0, 1);

    [Benchmark]
    public void Adam() => _s.AdamUpdate();

    /// <summary>
    /// The same Adam arithmetic on as many parameters (107 tensors of 1,024, 16 KB with their state), but every tensor the
    /// same one, so the data stays in L1: beside <see cref="Adam"/>, it shows whether Adam waits on memory or on its
    /// arithmetic (a square root and a division per value).
    /// </summary>
    [Benchmark]
    public void AdamInL1() => _s.AdamUpdateInL1();

    [Benchmark]
    public float TrainStep() => _s.Net.TrainStep(_s.X, _s.Labels);

    [Benchmark]
    public void ForwardTestSet()
    {
        const int chunk = 256; // Evaluator's ChunkRows
        int rows = _s.TestRows;
        for (int start = 0; start < rows; start += chunk)
        {
            int n = Math.Min(chunk, rows - start);
            _s.Net.Forward(_s.TestInputs.AsSpan(start * MnistNet.InputSize, n * MnistNet.InputSize),
                _s.TestLogits.AsSpan(start * MnistNet.OutputSize, n * MnistNet.OutputSize));
        }
    }

    [Benchmark]
    public int Predict()
    {
        int image = _nextImage;
        _nextImage = (image + 1) % RooflineState.PredictImages;
        return _s.Net.Predict(_s.TestInputs.AsSpan(image * MnistNet.InputSize, MnistNet.InputSize));
    }
}

/// <summary>
/// What the roofline measures and counts, the same in the benchmark processes and in <c>roofline-table</c>: the mnist network
/// (seed 1) trained 300 steps at batch 32 on the first 9,600 training images, so the ReLU outputs are as sparse as in
/// training; a fixed batch of 32 training images (the first 32 of BenchmarkData's seed-1 shuffle) scaled by
/// <see cref="ImageDataset.CopyBatchScaled"/> as the training loop scales them; copies of the trained weights and Adam state;
/// and every buffer of one step, filled by running the step's kernels once in TrainStep's order. The test set, scaled, for
/// inference.
/// </summary>
internal sealed class RooflineState
{
    public const int Rows = 32, TrainedSteps = 300, PredictImages = 64;
    public const int In = 784, H1 = 128, H2 = 64, Out = 10;

    public delegate double CrossEntropyKernel(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, Span<float> dLogits, int rows, int totalRows);

    public MnistNet Net { get; private init; } = null!;
    public CrossEntropyKernel CrossEntropy { get; private init; } = null!;
    public float[] X { get; private init; } = [];
    public int[] Labels { get; private init; } = [];
    public float[] W1 = [], B1 = [], W2 = [], B2 = [], W3 = [], B3 = [];
    public float[] Gw1 = [], Gb1 = [], Gw2 = [], Gb2 = [], Gw3 = [], Gb3 = [];
    public float[][] M = [], V = [];
    public float[] Y1 = new float[Rows * H1], Y2 = new float[Rows * H2], Y3 = new float[Rows * Out];
    public float[] Dz1 = new float[Rows * H1], Dz2 = new float[Rows * H2], Dz3 = new float[Rows * Out];
    public float[] TestInputs { get; private init; } = [];
    public float[] TestLogits { get; private init; } = [];
    public int TestRows { get; private init; }
    private AdamStep _adamStep;

    public static RooflineState Create()
    {
        (ImageDataset train, ImageDataset test) = MnistData.Load(BenchmarkData.Directory());
        var net = new MnistNet(seed: 1);
        TrainingLoop.Train(net, train.Take(TrainedSteps * Rows), new TrainingOptions { Epochs = 1 });
        (float[] x, int[] labels) = BenchmarkData.Scaled(train, BenchmarkData.ShuffledIndices(train.Count, Rows));
        (float[] testInputs, _) = BenchmarkData.Scaled(test, Enumerable.Range(0, test.Count).ToArray());
        MethodInfo loss = typeof(Core).GetMethod("CrossEntropy", BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new InvalidOperationException("The generated core has no CrossEntropy method.");
        var s = new RooflineState
        {
            Net = net,
            CrossEntropy = loss.CreateDelegate<CrossEntropyKernel>(),
            X = x,
            Labels = labels,
            TestInputs = testInputs,
            TestLogits = new float[test.Count * Out],
            TestRows = test.Count,
        };
        float[] Copy(int k) => (float[])net.Parameters[k].Values.Clone();
        (s.W1, s.B1, s.W2, s.B2, s.W3, s.B3) = (Copy(0), Copy(1), Copy(2), Copy(3), Copy(4), Copy(5));
        (s.Gw1, s.Gb1, s.Gw2, s.Gb2, s.Gw3, s.Gb3) = (new float[s.W1.Length], new float[H1], new float[s.W2.Length], new float[H2],
            new float[s.W3.Length], new float[Out]);
        s.M = Enumerable.Range(0, 6).Select(k => (float[])net.OptimizerState[2 * k].Values.Clone()).ToArray();
        s.V = Enumerable.Range(0, 6).Select(k => (float[])net.OptimizerState[2 * k + 1].Values.Clone()).ToArray();
        s._adamStep = new AdamStep(0.9, 0.999, 1e-8f, 0.001f, 0f, AdamDecay.None, TrainedSteps + 1);

        // One step's kernels in TrainStep's order (one thread), so every buffer holds what that step gives it.
        Core.Fc1Forward(s.X, s.W1, s.B1, s.Y1, Rows);
        Core.Fc2Forward(s.Y1, s.W2, s.B2, s.Y2, Rows);
        Core.Fc3Forward(s.Y2, s.W3, s.B3, s.Y3, Rows);
        s.CrossEntropy(s.Y3, s.Labels, s.Dz3, Rows, Rows);
        Core.Fc3InputGradient(s.Y2, s.Dz3, s.W3, s.Dz2, s.Gw3, s.Gb3, Rows);
        Core.Fc2InputGradient(s.Y1, s.Dz2, s.W2, s.Dz1, s.Gw2, s.Gb2, Rows);
        Core.Fc1WeightGradient(s.X, s.Dz1, s.Gw1, s.Gb1, Rows, 0, 1);
        // The L1 tensor: the 1,024 fc1 weights of inputs 400-407 (the image's middle), their gradients and moments.
        foreach ((float[] from, float[] to) in new[] { (s.W1, s._l1P), (s.Gw1, s._l1G), (s.M[0], s._l1M), (s.V[0], s._l1V) })
        {
            Array.Copy(from, 400 * H1, to, 0, L1TensorSize);
        }
        return s;
    }

    /// <summary>Adam over the six tensors, as the network's OptimizerShard does with one thread.</summary>
    public void AdamUpdate()
    {
        Kernels.Adam.Update(W1, Gw1, M[0], V[0], 0, 1, _adamStep);
        Kernels.Adam.Update(B1, Gb1, M[1], V[1], 0, 1, _adamStep);
        Kernels.Adam.Update(W2, Gw2, M[2], V[2], 0, 1, _adamStep);
        Kernels.Adam.Update(B2, Gb2, M[3], V[3], 0, 1, _adamStep);
        Kernels.Adam.Update(W3, Gw3, M[4], V[4], 0, 1, _adamStep);
        Kernels.Adam.Update(B3, Gb3, M[5], V[5], 0, 1, _adamStep);
    }

    public const int L1TensorSize = 1024, L1Tensors = 107;
    private readonly float[] _l1P = new float[L1TensorSize], _l1G = new float[L1TensorSize], _l1M = new float[L1TensorSize],
        _l1V = new float[L1TensorSize];

    /// <summary>Adam over <see cref="L1Tensors"/> x <see cref="L1TensorSize"/> values (about 109,386) of one L1-resident tensor.</summary>
    public void AdamUpdateInL1()
    {
        for (int t = 0; t < L1Tensors; t++) Kernels.Adam.Update(_l1P, _l1G, _l1M, _l1V, 0, 1, _adamStep);
    }

    public static long Nonzero(ReadOnlySpan<float> values)
    {
        long n = 0;
        foreach (float v in values) n += v != 0f ? 1 : 0;
        return n;
    }

    public string Describe() =>
        $"batch nonzero: pixels {Nonzero(X) / (double)X.Length:P1}, fc1 outputs {Nonzero(Y1) / (double)Y1.Length:P1}, fc2 outputs {Nonzero(Y2) / (double)Y2.Length:P1}";
}
