using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using NetGen.Tests.Data;
using NetGen.Tests.EndToEnd;
using NetGen.Tests.Images;
using NetGen.Tests.Networks;
using NetGen.Tests.Training;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Tests.Onnx;

/// <summary>
/// Issue 14, item 4: the exported ONNX files compute what NetGen computes, as ONNX Runtime (Microsoft.ML.OnnxRuntime
/// 1.31.1, CPU, one thread) runs them. Every network of test.nets.json, features.nets.json, images.nets.json and
/// fit.nets.json, trained a few steps first (so no weight, and no batch norm's running statistics, is at its initial
/// value), on random rows that reach every activation's far regions; the repository's mnist and mnist_cnn, trained, on all
/// 10,000 MNIST test images; a table model whose standardization the file does itself; and the README's snippet.
/// </summary>
/// <remarks>
/// Tolerance. Both compute in float32 and differ only in the order of their sums (ORT's MLAS kernels block and vectorize
/// differently from NetGen's) and in the last bits of tanh, exp and log. Each such rounding is relative to the values being
/// summed, so the bound is relative to the magnitude of the logits: |ORT - NetGen| &lt;= 1e-4 * max(1, the row's largest
/// |logit|). For logits of order 1 (most of the random rows) that is the 1e-4 absolute bound; for the rows scaled by 30
/// (logits up to about 80) it is 1e-4 relative, about 800 float32 roundings of the largest value, far more than a sum of a
/// few hundred products accumulates. Measured: at most 1.5e-4 on logits of 80 (wide, 2e-6 relative), 2e-5 elsewhere.
/// ONNX's Softplus has no threshold: above 20 it is log(1 + e^z) where NetGen (as PyTorch) gives z; the two differ by
/// log(1 + e^-z) &lt; 2.1e-9, under half a float32 step at 20 (1.9e-6), so the scaled rows, which put many softplus inputs
/// above 20, see no difference from it.
/// The class must be the same for every row, except where NetGen's top two logits are within twice the bound of each other
/// (a near tie that the bound allows to swap; the count of such rows is printed: ReLU outputs that are all 0 give most). On MNIST the bound is 1e-4 absolute
/// (the logits are of order 10) and every one of the 10,000 images must get the same class, near ties included.
/// </remarks>
public sealed class OnnxRuntimeTests(ITestOutputHelper output) : IDisposable
{
    private const double Tolerance = 1e-4;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>Every network of test.nets.json, features.nets.json, images.nets.json and fit.nets.json.</summary>
    public static readonly string[] SmallNetworks =
    [
        "tiny", "mixed", "odd", "narrow", "wide", "digits", "toy", "relulast",
        .. NetworkTestKit.FeatureNetworks,
        "convsmall", "convchannels", "convwide", "convdropout", "pooling", "poolfirst", "pooloverlap", "pooltie", "bnconv", "bnflat",
        "bnchannelsfirst", "cnn_bn",
        "regress", "blobs", "blobs_fit", "blobs_warmup",
    ];

    public static TheoryData<string> SmallNetworkNames() => new(SmallNetworks);

    /// <summary>A network added to a test spec is added to the list above (mnist and mnist_cnn have tests of their own).</summary>
    [Fact]
    public void Every_network_of_the_test_specs_is_checked()
    {
        foreach (Type type in AllNetworks.Types)
        {
            using INetwork net = AllNetworks.Create(type);
            Assert.True(SmallNetworks.Contains(net.NetworkName) || net.NetworkName is "mnist" or "mnist_cnn", $"{net.NetworkName} ({type.Name}) is not in SmallNetworks");
        }
    }

    private static INetwork Create(string name) => name switch
    {
        "convsmall" => new ConvSmallNet(),
        "convchannels" => new ConvChannelsNet(),
        "convwide" => new ConvWideNet(),
        "convdropout" => new ConvDropoutNet(),
        "pooling" => new PoolingNet(),
        "poolfirst" => new PoolFirstNet(),
        "pooloverlap" => new PoolOverlapNet(),
        "pooltie" => new PoolTieNet(),
        "bnconv" => new BnConvNet(),
        "bnflat" => new BnFlatNet(),
        "bnchannelsfirst" => new BnChannelsFirstNet(),
        "cnn_bn" => new CnnBnNet(),
        "regress" => new RegressNet(),
        "blobs" => new BlobsNet(),
        "blobs_fit" => new BlobsFitNet(),
        "blobs_warmup" => new BlobsWarmupNet(),
        _ => NetworkTestKit.Create(name),
    };

    /// <summary>
    /// Ten optimizer steps on random batches of the network's largest size: labels, or float targets for mse and bce. The
    /// learning rate is at most 0.01: dropstats (SGD at 0.1 over 257 units) diverges to NaN on random targets at its own.
    /// </summary>
    private static void TrainAFewSteps(INetwork net)
    {
        int rows = net.MaxBatchSize;
        net.LearningRate = Math.Min(net.LearningRate, 0.01f);
        for (int step = 0; step < 10; step++)
        {
            float[] inputs = NetworkTestKit.RandomInputs(100 + step, rows, net.InputSize);
            if (net.TakesTargets) net.TrainStep(inputs, NetworkTestKit.RandomTargets(200 + step, rows, net.OutputSize));
            else net.TrainStep(inputs, NetworkTestKit.RandomLabels(200 + step, rows, net));
        }
    }

    /// <summary>
    /// 64 rows: 16 in [-1, 1) (a quarter exact zeros), 16 times 5, 16 times 30 (tanh and sigmoid saturated, softplus above 20,
    /// GELU's cubic term large, ReLU and leaky ReLU far on both sides), and 16 of one sign each, alternately, times 10.
    /// </summary>
    private static float[] TestRows(int inputSize)
    {
        const int Rows = 64;
        float[] values = NetworkTestKit.RandomInputs(7, Rows, inputSize);
        for (int r = 0; r < Rows; r++)
        {
            Span<float> row = values.AsSpan(r * inputSize, inputSize);
            for (int i = 0; i < row.Length; i++)
            {
                row[i] = (r / 16) switch
                {
                    0 => row[i],
                    1 => 5 * row[i],
                    2 => 30 * row[i],
                    _ => 10 * (r % 2 == 0 ? Math.Abs(row[i]) : -Math.Abs(row[i])),
                };
            }
        }
        return values;
    }

    [Theory]
    [MemberData(nameof(SmallNetworkNames))]
    public void Onnx_Runtime_computes_NetGens_logits_for_every_test_network(string name)
    {
        using INetwork net = Create(name);
        Dictionary<string, float[]> initial = net.Parameters.Concat(net.Buffers).ToDictionary(t => t.Name, t => t.Values.ToArray());
        TrainAFewSteps(net);
        // zeros starts two layers at 0, weights and biases: their gradients are 0 (a zero weight after them, a zero input to
        // the last), so only fc3.bias moves, ever; the export of the others is what it is, zeros.
        foreach (NamedTensor tensor in net.Parameters.Concat(net.Buffers).Where(t => name != "zeros" || t.Name == "fc3.bias"))
            Assert.False(tensor.Values.AsSpan().SequenceEqual(initial[tensor.Name]), $"{tensor.Name} is still at its initial value");
        float[] inputs = TestRows(net.InputSize);
        int rows = inputs.Length / net.InputSize;

        using InferenceSession session = OnnxRuntime.Session(net);
        float[] onnx = OnnxRuntime.Run(session, inputs, rows);

        var expected = new float[rows * net.OutputSize];
        net.Forward(inputs, expected);
        AssertSame(net, expected, onnx, name, relative: true, out double worst, out int nearTies);
        output.WriteLine($"{name}: largest difference {worst:E2}, largest |logit| {expected.Max(Math.Abs):G4}, {nearTies} near ties");
    }

    /// <summary>The repository's mnist, trained one epoch by NetGen 0.1.0 (CompatibilityTests' fixture, 95.81%).</summary>
    [Fact]
    public void Onnx_Runtime_predicts_mnist_as_NetGen_on_all_10000_test_images()
    {
        using var net = new MnistNet();
        ModelFile.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "mnist-0.1.0.safetensors"), net);
        CompareOnTestSet(net, expectedCorrect: 9581);
    }

    /// <summary>The repository's mnist_cnn, trained by PyTorch (PyTorchTrainedCnnTests' fixture, 97.10%).</summary>
    [Fact]
    public void Onnx_Runtime_predicts_mnist_cnn_as_NetGen_on_all_10000_test_images()
    {
        using var net = new MnistCnnNet();
        ModelFile.Load(FixtureFile.PathOf("mnist_cnn.trained.safetensors"), net);
        CompareOnTestSet(net, expectedCorrect: 9710);
    }

    private void CompareOnTestSet(INetwork net, int expectedCorrect)
    {
        ImageDataset test = MnistTestSet.Load();
        int rows = test.Count;
        var inputs = new float[rows * net.InputSize];
        var labels = new int[rows];
        test.CopyBatchScaled(Enumerable.Range(0, rows).ToArray(), inputs, labels);

        using InferenceSession session = OnnxRuntime.Session(net);
        // In batches of 1,000: one batch of 10,000 would hold 500 MB of mnist_cnn's conv1 outputs.
        var onnx = new float[rows * net.OutputSize];
        for (int start = 0; start < rows; start += 1000)
        {
            float[] chunk = OnnxRuntime.Run(session, inputs[(start * net.InputSize)..((start + 1000) * net.InputSize)], 1000);
            chunk.CopyTo(onnx, start * net.OutputSize);
        }

        var expected = new float[rows * net.OutputSize];
        net.Forward(inputs, expected);
        AssertSame(net, expected, onnx, net.NetworkName, relative: false, out double worst, out int nearTies);
        int correct = 0;
        for (int r = 0; r < rows; r++)
        {
            int predicted = net.Classify(onnx.AsSpan(r * net.OutputSize, net.OutputSize));
            Assert.Equal(net.Classify(expected.AsSpan(r * net.OutputSize, net.OutputSize)), predicted);
            if (predicted == labels[r]) correct++;
        }
        Assert.Equal(expectedCorrect, correct);
        output.WriteLine($"{net.NetworkName}: largest difference {worst:E2} over {rows} images, {correct} correct, {nearTies} images whose top two logits are within 2e-4");
    }

    /// <summary>A DataSchema's standardization goes into the file: ORT on the raw rows gives NetGen's logits on the standardized ones.</summary>
    [Fact]
    public void A_table_model_with_a_standardization_takes_raw_rows()
    {
        using var net = new BlobsNet();
        TrainAFewSteps(net);
        // Raw columns far from 0 and of different spreads, as a table's are: standardized, they are of order 1.
        var standardization = new Standardization([250f, -3.5f], [40f, 0.02f]);
        var schema = new DataSchema { Standardization = standardization };
        float[] raw = NetworkTestKit.RandomInputs(9, 100, BlobsNet.InputSize, zeroFraction: 0);
        for (int i = 0; i < raw.Length; i++) raw[i] = standardization.Mean[i % 2] + 3 * raw[i] * standardization.Scale[i % 2];
        float[] standardized = raw.ToArray();
        schema.Apply(standardized);

        using InferenceSession session = OnnxRuntime.Session(net, schema);
        float[] onnx = OnnxRuntime.Run(session, raw, 100);

        var expected = new float[100 * BlobsNet.OutputSize];
        net.Forward(standardized, expected);
        AssertSame(net, expected, onnx, "blobs with a standardization", relative: true, out double worst, out _);
        output.WriteLine($"largest difference {worst:E2}");
        // Without the standardization the same raw rows give other logits: the file's Sub and Div are what made them agree.
        using InferenceSession plain = OnnxRuntime.Session(net);
        Assert.True(OnnxRuntime.Run(plain, raw, 100).Zip(expected).Max(p => Math.Abs(p.First - p.Second)) > 1);
    }

    [Fact]
    public void The_files_metadata_names_the_network_and_its_spec_hash()
    {
        using var mnist = new MnistNet();
        using var cnn = new MnistCnnNet();
        foreach (INetwork net in new INetwork[] { mnist, cnn })
        {
            using InferenceSession session = OnnxRuntime.Session(net);
            Dictionary<string, string> metadata = session.ModelMetadata.CustomMetadataMap;
            Assert.Equal(net.NetworkName, metadata[OnnxExport.NetworkKey]);
            Assert.Equal(net.SpecHash, metadata[OnnxExport.SpecHashKey]);
            Assert.Equal(net.Architecture, metadata[OnnxExport.ArchitectureKey]);
            Assert.Equal("NetGen", session.ModelMetadata.ProducerName);
            int[] input = net == mnist ? [-1, 784] : [-1, 1, 28, 28];
            Assert.Equal(input, session.InputMetadata[OnnxExport.InputName].Dimensions);
            Assert.Equal(new[] { -1, 10 }, session.OutputMetadata[OnnxExport.OutputName].Dimensions);
        }
    }

    /// <summary>
    /// The README's "Scoring the exported file with ONNX Runtime in C#", line for line between the markers, on a file written
    /// by <see cref="OnnxExport.Save(string, INetwork)"/>: only the file's path (a temporary folder's, not the current one,
    /// which tests running in parallel share) and the pixels (test image 0) are filled in.
    /// </summary>
    [Fact]
    public void The_READMEs_snippet_scores_the_exported_file()
    {
        using var net = new MnistNet();
        ModelFile.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "mnist-0.1.0.safetensors"), net);
        string path = _folder.File("mnist.onnx");
        OnnxExport.Save(path, net);
        ImageDataset test = MnistData.LoadTest(MnistData.FindDirectory()!);
        var image = new float[784];
        test.CopyScaled(0, image);

        // README snippet, from here:
        using var session = new InferenceSession(path);                                   // "mnist.onnx"
        string network = session.ModelMetadata.CustomMetadataMap["netgen.network"];       // "mnist"
        float[] pixels = image;                                                           // one image, 784 values in [0, 1]
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, [1, 784]);        // shape [batch, 784]
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["input"], [input], ["logits"]);
        float[] logits = outputs[0].GetTensorDataAsSpan<float>().ToArray();               // 10 logits
        int digit = Array.IndexOf(logits, logits.Max());
        // to here.

        Assert.Equal("mnist", network);
        Assert.Equal(net.Predict(image), digit);
        Assert.Equal(test.Label(0), digit);
        var expected = new float[10];
        net.Forward(image, expected);
        for (int i = 0; i < 10; i++) Assert.True(Math.Abs(expected[i] - logits[i]) <= Tolerance, $"logit {i}: ORT {logits[i]:R}, NetGen {expected[i]:R}");
    }

    /// <summary>
    /// Every logit within <see cref="Tolerance"/>, times max(1, its row's largest |logit|) when <paramref name="relative"/>,
    /// and the same class for every row but near ties (NetGen's top two, or for one output its value and 0, closer than twice
    /// that bound; counted in <paramref name="nearTies"/>, the callers that want every class the same check them all).
    /// </summary>
    private static void AssertSame(INetwork net, float[] expected, float[] actual, string what, bool relative, out double worst, out int nearTies)
    {
        Assert.Equal(expected.Length, actual.Length);
        int outputs = net.OutputSize;
        worst = 0;
        nearTies = 0;
        for (int r = 0; r < expected.Length / outputs; r++)
        {
            ReadOnlySpan<float> e = expected.AsSpan(r * outputs, outputs), a = actual.AsSpan(r * outputs, outputs);
            double bound = relative ? Tolerance * Math.Max(1, e.ToArray().Max(v => Math.Abs(v))) : Tolerance;
            for (int j = 0; j < outputs; j++)
            {
                double error = Math.Abs(a[j] - e[j]);
                if (double.IsNaN(error)) error = double.PositiveInfinity;
                worst = Math.Max(worst, error);
                Assert.True(error <= bound, $"{what}, row {r}, logit {j}: ORT {a[j]:R}, NetGen {e[j]:R} (bound {bound:E2})");
            }
            double margin = outputs == 1 ? Math.Abs(e[0]) : TopTwoMargin(e);
            if (margin <= 2 * bound)
            {
                nearTies++;
                continue;
            }
            Assert.True(net.Classify(e) == net.Classify(a), $"{what}, row {r}: ORT's class {net.Classify(a)}, NetGen's {net.Classify(e)}");
        }
    }

    private static double TopTwoMargin(ReadOnlySpan<float> values)
    {
        float[] sorted = values.ToArray();
        Array.Sort(sorted);
        return sorted[^1] - sorted[^2];
    }
}

/// <summary>ONNX Runtime sessions as the tests (and the benchmarks) run them: CPU, one thread, sequential.</summary>
internal static class OnnxRuntime
{
    /// <summary>A session of <paramref name="net"/>'s ONNX file (with <paramref name="data"/>'s standardization), from memory.</summary>
    public static InferenceSession Session(INetwork net, DataSchema? data = null)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        return new InferenceSession(OnnxExport.ToBytes(net, data), options);
    }

    /// <summary>The logits of <paramref name="rows"/> rows: the input's shape is the file's, its symbolic batch dimension made <paramref name="rows"/>.</summary>
    public static float[] Run(InferenceSession session, float[] inputs, int rows)
    {
        long[] shape = session.InputMetadata[OnnxExport.InputName].Dimensions.Select(d => (long)d).ToArray();
        Assert.Equal(-1, shape[0]);
        shape[0] = rows;
        using var input = OrtValue.CreateTensorValueFromMemory(inputs, shape);
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(runOptions, [OnnxExport.InputName], [input], [OnnxExport.OutputName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
