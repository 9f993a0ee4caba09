using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MathNet.Numerics.LinearAlgebra;
using NetGen.Tests.Data;
using NetGen.Tests.EndToEnd;
using NetGen.Tests.Networks;
using Xunit;
using static NetGen.Tests.ModelFiles.ModelFileTestKit;

namespace NetGen.Tests.ModelFiles;

/// <summary>
/// Files as <c>safetensors.torch.save_file(model.state_dict(), path)</c> writes them: keys <c>fc1.weight</c>, ... sorted,
/// <c>[out, in]</c> row-major F32, no metadata, no optimizer state. They come from <see cref="ReferenceSafetensors"/>,
/// and the expected outputs from MathNet on the same raw numbers, not from the code under test.
/// </summary>
public class PyTorchFileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>nn.Linear's default initialization range, U(-1/sqrt(in), 1/sqrt(in)), in row-major [out, in].</summary>
    private static float[] Uniform(Random random, int count, int fanIn)
    {
        double bound = 1 / Math.Sqrt(fanIn);
        return Enumerable.Range(0, count).Select(_ => (float)((2 * random.NextDouble() - 1) * bound)).ToArray();
    }

    /// <summary>A state dict of an MLP with the given sizes (and biases on the given layers), with its MathNet twin.</summary>
    private static (List<RawTensor> Tensors, List<(Matrix<double> W, Vector<double>? B)> Layers) MakeMlp(int seed, int[] sizes, bool[] bias)
    {
        var random = new Random(seed);
        var tensors = new List<RawTensor>();
        var layers = new List<(Matrix<double>, Vector<double>?)>();
        for (int l = 0; l + 1 < sizes.Length; l++)
        {
            int fanIn = sizes[l], units = sizes[l + 1];
            float[] w = Uniform(random, units * fanIn, fanIn);
            tensors.Add(new RawTensor($"fc{l + 1}.weight", new long[] { units, fanIn }, w));
            Matrix<double> matrix = Matrix<double>.Build.Dense(units, fanIn, (r, c) => w[r * fanIn + c]);
            Vector<double>? vector = null;
            if (bias[l])
            {
                float[] b = Uniform(random, units, fanIn);
                tensors.Add(new RawTensor($"fc{l + 1}.bias", new long[] { units }, b));
                vector = Vector<double>.Build.Dense(units, i => b[i]);
            }
            layers.Add((matrix, vector));
        }
        return (tensors, layers);
    }

    private static Matrix<double> ExpectedLogits(List<(Matrix<double> W, Vector<double>? B)> layers, Func<double, double>[] activations, float[] inputs, int inputSize)
    {
        int rows = inputs.Length / inputSize;
        Matrix<double> x = NetworkTestKit.ToMatrix(inputs, inputSize); // [rows, in]
        for (int l = 0; l < layers.Count; l++)
        {
            Matrix<double> z = x * layers[l].W.Transpose();
            if (layers[l].B is { } b) z = z + Matrix<double>.Build.Dense(rows, b.Count, (r, c) => b[c]);
            x = z.Map(activations[l]);
        }
        return x;
    }

    private static float[] Pixels(int seed, int rows, int columns)
    {
        var random = new Random(seed);
        var bytes = new byte[rows * columns];
        random.NextBytes(bytes);
        return bytes.Select(b => b / 255f).ToArray();
    }

    [Fact]
    public void A_pytorch_file_of_the_mnist_architecture_predicts_like_an_independent_computation()
    {
        var (tensors, layers) = MakeMlp(2024, new[] { 784, 128, 64, 10 }, new[] { true, true, true });
        string path = _folder.File("from-pytorch.safetensors");
        File.WriteAllBytes(path, ReferenceSafetensors.Build(tensors));

        using var network = new MnistNet(seed: 99);
        Checkpoint checkpoint = ModelFile.Load(path, network);

        Assert.Null(checkpoint.NetworkName);
        Assert.Null(checkpoint.SpecHash);
        Assert.Null(checkpoint.Position);
        Assert.False(checkpoint.HasOptimizerState);
        Assert.Empty(checkpoint.Metadata);
        // Orientation: element [r, c] of PyTorch's fc1.weight is element r * 784 + c of the file.
        NamedTensor fc1 = network.Parameters[0];
        Assert.Equal(tensors.Single(t => t.Name == "fc1.weight").RowMajor[5 * 784 + 300], fc1[5, 300]);

        const int rows = 200;
        float[] inputs = Pixels(7, rows, 784);
        Func<double, double> relu = v => Math.Max(0, v), identity = v => v;
        Matrix<double> expected = ExpectedLogits(layers, new[] { relu, relu, identity }, inputs, 784);
        NetworkTestKit.AssertClose(expected, NetworkTestKit.Forward(network, inputs), 1e-5, "logits");

        int compared = 0;
        for (int r = 0; r < rows; r++)
        {
            double[] z = expected.Row(r).ToArray();
            double[] top = z.OrderByDescending(v => v).Take(2).ToArray();
            if (top[0] - top[1] < 1e-4) continue; // a near tie may go either way in float
            compared++;
            Assert.Equal(Array.IndexOf(z, top[0]), network.Predict(inputs.AsSpan(r * 784, 784)));
        }
        Assert.True(compared >= rows - 2, $"only {compared} rows had a clear prediction");
    }

    [Fact]
    public void A_pytorch_file_without_biases_loads_for_a_network_with_bias_false()
    {
        // "nobias": 5 -> 17 relu (no bias) -> 4 tanh -> 3 (no bias).
        var (tensors, layers) = MakeMlp(31, new[] { 5, 17, 4, 3 }, new[] { false, true, false });
        string path = _folder.File("nobias.safetensors");
        File.WriteAllBytes(path, ReferenceSafetensors.Build(tensors));

        using ITestNetwork network = NetworkTestKit.Create("nobias", seed: 5);
        ModelFile.Load(path, network);

        float[] inputs = NetworkTestKit.RandomInputs(3, 20, 5);
        Matrix<double> expected = ExpectedLogits(layers, new Func<double, double>[] { v => Math.Max(0, v), Math.Tanh, v => v }, inputs, 5);
        NetworkTestKit.AssertClose(expected, NetworkTestKit.Forward(network, inputs), 1e-5, "logits");
    }

    [Fact]
    public void A_file_of_other_sizes_is_refused_naming_the_tensor_and_both_shapes()
    {
        var (tensors, _) = MakeMlp(1, new[] { 784, 256, 64, 10 }, new[] { true, true, true });
        string path = _folder.File("wide.safetensors");
        File.WriteAllBytes(path, ReferenceSafetensors.Build(tensors));
        using var network = new MnistNet();
        var snapshot = new NetworkSnapshot(network);

        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path, network));

        AssertMessage(ex, path, "tensor fc1.weight has shape [256, 784] in the file but [128, 784] in network \"mnist\"", "(and 2 more differences)");
        snapshot.AssertUnchanged("refused file");
    }

    [Fact]
    public void A_file_missing_a_tensor_is_refused_naming_it()
    {
        var (tensors, _) = MakeMlp(1, new[] { 784, 128, 64, 10 }, new[] { true, true, true });
        string path = _folder.File("missing.safetensors");
        File.WriteAllBytes(path, ReferenceSafetensors.Build(tensors.Where(t => t.Name != "fc3.bias")));
        using var network = new MnistNet();

        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path, network));

        AssertMessage(ex, path, "missing tensor fc3.bias of network \"mnist\"");
    }

    [Fact]
    public void A_file_with_an_extra_tensor_is_refused_naming_it()
    {
        var (tensors, _) = MakeMlp(1, new[] { 784, 128, 64, 10, 10 }, new[] { true, true, true, true });
        string path = _folder.File("extra.safetensors");
        File.WriteAllBytes(path, ReferenceSafetensors.Build(tensors));
        using var network = new MnistNet();

        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path, network));

        AssertMessage(ex, path, "unexpected tensor \"fc4.bias\"", "network \"mnist\" has no such tensor", "(and 1 more difference)");
    }

    [Fact]
    public void A_file_with_other_names_is_refused_naming_the_first_missing_tensor()
    {
        // nn.Sequential's keys: 0.weight, 0.bias, 2.weight, ...
        var (tensors, _) = MakeMlp(1, new[] { 784, 128, 64, 10 }, new[] { true, true, true });
        var renamed = tensors.Select(t => t with { Name = t.Name.Replace("fc1", "0").Replace("fc2", "2").Replace("fc3", "4") });
        string path = _folder.File("sequential.safetensors");
        File.WriteAllBytes(path, ReferenceSafetensors.Build(renamed));

        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path, new MnistNet()));

        AssertMessage(ex, path, "missing tensor fc1.weight", "(and 11 more differences)");
    }

    [Fact]
    public void A_pytorch_file_with_part_of_the_optimizer_state_is_refused()
    {
        using ITestNetwork source = NetworkTestKit.Create("tiny");
        var tensors = ReferenceSafetensors.StateDict(source);
        tensors.Add(new RawTensor("fc1.weight.exp_avg", new long[] { 7, 5 }, new float[35]));
        string path = _folder.File("partial.safetensors");
        File.WriteAllBytes(path, ReferenceSafetensors.Build(tensors));

        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path, NetworkTestKit.Create("tiny")));

        AssertMessage(ex, path, "missing tensor fc1.weight.exp_avg_sq (the file has only part of the optimizer state)");
    }
}
