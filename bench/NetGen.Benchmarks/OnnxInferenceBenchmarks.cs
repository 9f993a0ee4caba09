using System;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Microsoft.ML.OnnxRuntime;

namespace NetGen.Benchmarks.Onnx;

/// <summary>
/// NetGen's inference against ONNX Runtime 1.31.1 (CPU) running the ONNX file NetGen exports of the same network, both on one
/// thread: for <c>mnist</c> (784-128-64-10) and <c>mnist_cnn</c>, trained (the test fixtures: mnist as NetGen 0.1.0 trained it
/// for one epoch, tests/NetGen.Tests/Fixtures/mnist-0.1.0.safetensors; mnist_cnn as PyTorch trained it,
/// Fixtures/pytorch/mnist_cnn.trained.safetensors), exported in setup with <see cref="OnnxExport.Save(Stream, INetwork)"/>.
/// <list type="bullet">
/// <item><c>NetGenPredict</c> / <c>OrtPredict</c>: the class of one test image (64 cycled). NetGen's <c>Predict</c>; ORT's
/// <c>Run</c> on an <see cref="OrtValue"/> made in setup over that image's row of a pinned array, into an OrtValue over a
/// pinned 10-float array (so ORT allocates no tensor), then the arg-max of the 10 logits.</item>
/// <item><c>NetGenEvaluate</c> / <c>OrtEvaluate*</c>: the logits of all 10,000 test images (scaled to floats in setup) and the
/// number of correct classes. NetGen's <c>Forward</c> in chunks of 256 rows as <see cref="Evaluator"/> calls it; ORT's
/// <c>Run</c> on the whole set as one batch of 10,000 and in 10 chunks of 1,000, over OrtValues made in setup.</item>
/// </list>
/// ORT's session: IntraOpNumThreads 1, InterOpNumThreads 1, sequential execution, every graph optimization. GFLOP/s counts
/// the layers' multiply-adds as two operations each (dense: NetGen's kernels skip zero inputs and do fewer).
/// </summary>
[MemoryDiagnoser]
[ShortJob(warmupCount: 3, iterationCount: 10)]
[Config(typeof(FlopsConfig))]
public class OnnxInferenceBenchmarks
{
    private const int Images = 64, TestRows = 10_000, ChunkRows = 256, OrtChunkRows = 1000, Classes = 10;

    /// <summary>Multiply-adds per image x 2: mnist's three dense layers; mnist_cnn's two convolutions (3x3, padding 1) and two dense layers.</summary>
    private const double MnistFlops = 2.0 * (784 * 128 + 128 * 64 + 64 * 10);
    private const double CnnFlops = 2.0 * (28 * 28 * 16 * 9 + 14 * 14 * 32 * 9 * 16 + 7 * 7 * 32 * 128 + 128 * 10);

    private sealed class FlopsConfig : ManualConfig
    {
        public FlopsConfig() => AddColumn(new FlopsColumn("GFLOP/s (dense)", Flops));

        private static double? Flops(BenchmarkCase c)
        {
            double perImage = (string)c.Parameters[nameof(Network)] == "mnist" ? MnistFlops : CnnFlops;
            return c.Descriptor.WorkloadMethod.Name.EndsWith("Predict", StringComparison.Ordinal) ? perImage : perImage * TestRows;
        }
    }

    [Params("mnist", "mnist_cnn")]
    public string Network { get; set; } = "mnist";

    private INetwork _net = null!;
    private InferenceSession _session = null!;
    private RunOptions _runOptions = null!;
    private int _inputSize;
    private float[] _inputs = [], _logits = [], _rowLogits = [];
    private int[] _labels = [];
    private OrtValue[] _rowInputs = [], _chunkInputs = [], _chunkOutputs = [];
    private OrtValue _rowOutput = null!, _allInput = null!, _allOutput = null!;
    private readonly string[] _inputNames = [OnnxExport.InputName], _outputNames = [OnnxExport.OutputName];
    private readonly OrtValue[] _in = new OrtValue[1], _out = new OrtValue[1];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        string data = Training.BenchmarkData.Directory();
        string fixtures = Path.GetFullPath(Path.Combine(data, "..", "..", "tests", "NetGen.Tests", "Fixtures"));
        _net = Network == "mnist" ? new MnistNet() : new MnistCnn();
        ModelFile.Load(Path.Combine(fixtures, Network == "mnist" ? "mnist-0.1.0.safetensors" : Path.Combine("pytorch", "mnist_cnn.trained.safetensors")), _net);
        _inputSize = _net.InputSize;
        ImageDataset test = MnistData.LoadTest(data);
        (_inputs, _labels) = Training.BenchmarkData.Scaled(test, Enumerable.Range(0, TestRows).ToArray());
        _logits = new float[TestRows * Classes];
        _rowLogits = new float[Classes];

        var file = new MemoryStream();
        OnnxExport.Save(file, _net);
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(file.ToArray(), options);
        _runOptions = new RunOptions();

        // OrtValues over the arrays (pinned while the OrtValue lives), made once: a run copies nothing in or out.
        long[] Shape(int rows) => Network == "mnist" ? [rows, 784] : [rows, 1, 28, 28];
        OrtValue Over(float[] array, int firstRow, int rows, int size, long[] shape) =>
            OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, array.AsMemory(firstRow * size, rows * size), shape);
        _rowInputs = Enumerable.Range(0, Images).Select(i => Over(_inputs, i, 1, _inputSize, Shape(1))).ToArray();
        _rowOutput = Over(_rowLogits, 0, 1, Classes, [1, Classes]);
        _allInput = Over(_inputs, 0, TestRows, _inputSize, Shape(TestRows));
        _allOutput = Over(_logits, 0, TestRows, Classes, [TestRows, Classes]);
        _chunkInputs = Enumerable.Range(0, TestRows / OrtChunkRows).Select(c => Over(_inputs, c * OrtChunkRows, OrtChunkRows, _inputSize, Shape(OrtChunkRows))).ToArray();
        _chunkOutputs = Enumerable.Range(0, TestRows / OrtChunkRows).Select(c => Over(_logits, c * OrtChunkRows, OrtChunkRows, Classes, [OrtChunkRows, Classes])).ToArray();

        // Both give the same classes (OnnxRuntimeTests checks the logits too).
        int netgen = NetGenEvaluate();
        Array.Clear(_logits);
        int ort = OrtEvaluateOneBatch();
        Array.Clear(_logits);
        int chunks = OrtEvaluateChunks1000();
        Console.WriteLine($"// {Network}: correct of {TestRows}: NetGen {netgen}, ORT {ort}, ORT in chunks {chunks}");
        if (netgen != ort || netgen != chunks) throw new InvalidOperationException("NetGen and ONNX Runtime disagree.");
        for (int i = 0; i < Images; i++)
        {
            _next = i;
            int predicted = NetGenPredict();
            _next = i;
            if (predicted != OrtPredict()) throw new InvalidOperationException($"NetGen and ONNX Runtime disagree on image {i}.");
        }
        _next = 0;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (OrtValue value in _rowInputs.Concat(_chunkInputs).Concat(_chunkOutputs).Append(_rowOutput).Append(_allInput).Append(_allOutput))
            value.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
        _net.Dispose();
    }

    [Benchmark]
    public int NetGenPredict()
    {
        int row = _next++ % Images;
        return _net.Predict(_inputs.AsSpan(row * _inputSize, _inputSize));
    }

    [Benchmark]
    public int OrtPredict()
    {
        int row = _next++ % Images;
        _in[0] = _rowInputs[row];
        _out[0] = _rowOutput;
        _session.Run(_runOptions, _inputNames, _in, _outputNames, _out);
        return _net.Classify(_rowLogits);
    }

    [Benchmark]
    public int NetGenEvaluate()
    {
        for (int start = 0; start < TestRows; start += ChunkRows)
        {
            int rows = Math.Min(ChunkRows, TestRows - start);
            _net.Forward(_inputs.AsSpan(start * _inputSize, rows * _inputSize), _logits.AsSpan(start * Classes, rows * Classes));
        }
        return Correct();
    }

    [Benchmark]
    public int OrtEvaluateOneBatch()
    {
        _in[0] = _allInput;
        _out[0] = _allOutput;
        _session.Run(_runOptions, _inputNames, _in, _outputNames, _out);
        return Correct();
    }

    [Benchmark]
    public int OrtEvaluateChunks1000()
    {
        for (int c = 0; c < _chunkInputs.Length; c++)
        {
            _in[0] = _chunkInputs[c];
            _out[0] = _chunkOutputs[c];
            _session.Run(_runOptions, _inputNames, _in, _outputNames, _out);
        }
        return Correct();
    }

    /// <summary>The images whose class (the network's Classify of its logits) is the label.</summary>
    private int Correct()
    {
        int correct = 0;
        for (int r = 0; r < TestRows; r++)
        {
            if (_net.Classify(_logits.AsSpan(r * Classes, Classes)) == _labels[r]) correct++;
        }
        return correct;
    }
}
