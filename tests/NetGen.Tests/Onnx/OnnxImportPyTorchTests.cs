using System;
using System.Linq;
using NetGen.Tests.EndToEnd;
using NetGen.Tests.Images;
using NetGen.Tests.Data;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Tests.Onnx;

/// <summary>
/// Issue 14: ONNX files that <c>torch.onnx.export</c> wrote (Fixtures/pytorch/make_onnx.py: PyTorch 1.13, 600 Adam steps,
/// eval mode, opset 17, constant folding) load into the NetGen network and predict what PyTorch predicted on all 10,000
/// MNIST test images. <c>mnist</c> is three Gemm nodes, <c>mnist_matmul</c> MatMul with <c>[in, out]</c> weights and Add,
/// <c>cnn_bn</c> has its two conv batch norms folded into the convs by PyTorch (and a Pad of zeros before the AveragePool).
/// </summary>
public sealed class OnnxImportPyTorchTests(ITestOutputHelper output)
{
    private const int TestImages = 10_000;

    /// <summary>Images whose PyTorch top-2 logit margin is below this may be predicted otherwise (summation order moves a logit by about 1e-6).</summary>
    private const float NearTie = 1e-4f;

    private static ImageDataset TestSet() => MnistTestSet.Load();

    public static TheoryData<string> Fixtures() => new() { "mnist", "mnist_matmul", "cnn_bn" };

    private static INetwork Create(string fixture) => fixture == "cnn_bn" ? new CnnBnNet(seed: 5) : new MnistNet(seed: 5);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void PyTorchs_onnx_file_predicts_what_PyTorch_predicts_on_all_10000_test_images(string fixture)
    {
        var expected = new FixtureFile(FixtureFile.PathOf($"{fixture}.onnx-predictions.safetensors"));
        long[] predictions = expected.Longs("predictions");
        float[] margins = expected.Floats("margins");
        long correct = expected.Longs("correct")[0];
        using INetwork net = Create(fixture);

        Checkpoint checkpoint = OnnxImport.Load(FixtureFile.PathOf($"{fixture}.onnx"), net);

        Assert.Null(checkpoint.NetworkName);
        Assert.False(checkpoint.HasOptimizerState);
        Assert.Null(checkpoint.Data);
        EvaluationResult result = Evaluator.Evaluate(net, TestSet());
        int[] differing = Enumerable.Range(0, TestImages).Where(i => result.Predictions[i] != predictions[i]).ToArray();
        output.WriteLine($"{fixture}: PyTorch {correct}/{TestImages}, NetGen {result}; {differing.Length} predictions differ; smallest PyTorch margin {margins.Min():R}");
        int[] clear = differing.Where(i => margins[i] >= NearTie).ToArray();
        Assert.True(clear.Length == 0, $"{clear.Length} predictions differ from PyTorch's: " + string.Join(", ", clear.Take(20).Select(i =>
            $"image {i}: NetGen {result.Predictions[i]}, PyTorch {predictions[i]} (margin {margins[i]:R})")));
        Assert.True(Math.Abs(result.Correct - correct) <= differing.Length, $"NetGen {result.Correct} correct, PyTorch {correct}");
        Assert.Equal(correct, result.Correct); // no near ties in these fixtures: the same count
    }

    /// <summary>PyTorch folded bn1 and bn2 into conv1 and conv2: the batch norms become the identity, bn1 taking conv1's folded bias (conv1 has none).</summary>
    [Fact]
    public void A_folded_batch_norm_becomes_the_identity_with_the_folded_bias()
    {
        using var net = new CnnBnNet(seed: 5);
        OnnxImport.Load(FixtureFile.PathOf("cnn_bn.onnx"), net);
        float[] Values(string name) => net.Parameters.Concat(net.Buffers).Single(t => t.Name == name).Values;
        Assert.All(Values("bn1.weight"), v => Assert.Equal(1f, v));
        Assert.All(Values("bn1.running_mean"), v => Assert.Equal(0f, v));
        Assert.All(Values("bn1.running_var"), v => Assert.Equal(1f, (float)(1 / Math.Sqrt(v + 1e-5))));
        Assert.Contains(Values("bn1.bias"), v => v != 0f);
        Assert.All(Values("bn2.bias"), v => Assert.Equal(0f, v));
        Assert.Contains(Values("conv2.bias"), v => v != 0f);
        Assert.Contains(Values("bn3.running_mean"), v => v != 0f); // bn3 follows a dense layer: PyTorch keeps its BatchNormalization
    }

    /// <summary>
    /// features.nets.json's smooth as PyTorch initialized and exported it: GELU(approximate="tanh") as torch writes it (x * x * x
    /// by two Muls, Constant nodes between), Softplus. NetGen's outputs are PyTorch's to float rounding.
    /// </summary>
    [Fact]
    public void PyTorchs_gelu_tanh_and_softplus_export_computes_PyTorchs_outputs()
    {
        var expected = new FixtureFile(FixtureFile.PathOf("smooth.onnx-outputs.safetensors"));
        float[] inputs = expected.Floats("inputs"), outputs = expected.Floats("outputs");
        using INetwork net = NetGen.Tests.Networks.NetworkTestKit.Create("smooth", seed: 5);
        OnnxImport.Load(FixtureFile.PathOf("smooth.onnx"), net);
        var actual = new float[outputs.Length];
        net.Forward(inputs, actual);
        for (int i = 0; i < outputs.Length; i++) Assert.True(Math.Abs(actual[i] - outputs[i]) <= 1e-5f * (1 + Math.Abs(outputs[i])), $"output {i}: NetGen {actual[i]:R}, PyTorch {outputs[i]:R}");
    }
}
