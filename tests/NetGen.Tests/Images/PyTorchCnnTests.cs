using System;
using System.IO;
using System.Linq;
using NetGen.Tests.Data;
using Xunit;

namespace NetGen.Tests.Images;

/// <summary>The repository's mnist_cnn (nets.json), as the tests build it.</summary>
[Network("mnist_cnn")]
public partial class MnistCnnNet;

/// <summary>
/// mnist_cnn against what PyTorch itself computed (Fixtures/pytorch, made by make_fixtures.py with torch 1.13): its initial
/// weights loaded from PyTorch's own file give PyTorch's logits; one training step on a batch gives PyTorch's loss and
/// gradients, and one Adam step PyTorch's weights; and the file NetGen writes holds PyTorch's state_dict.
/// </summary>
public sealed class PyTorchCnnTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static MnistCnnNet Initial()
    {
        var net = new MnistCnnNet();
        ModelFile.Load(FixtureFile.PathOf("mnist_cnn.initial.safetensors"), net);
        return net;
    }

    [Fact]
    public void PyTorchs_initial_weights_give_PyTorchs_logits_on_100_test_images()
    {
        MnistCnnNet net = Initial();
        var fixture = new FixtureFile(FixtureFile.PathOf("mnist_cnn.logits.safetensors"));
        float[] inputs = fixture.Floats("inputs"), expected = fixture.Floats("logits");
        Assert.Equal(new long[] { 100, 1, 28, 28 }, fixture.Shape("inputs"));
        var logits = new float[expected.Length];
        net.Forward(inputs, logits);
        for (int i = 0; i < logits.Length; i++)
            Assert.True(Math.Abs(logits[i] - expected[i]) <= 1e-4, $"logit {i / 10}, {i % 10}: NetGen {logits[i]:R}, PyTorch {expected[i]:R}");
    }

    [Fact]
    public void One_step_gives_PyTorchs_loss_gradients_and_weights()
    {
        MnistCnnNet net = Initial();
        var step = new FixtureFile(FixtureFile.PathOf("mnist_cnn.step.safetensors"));
        float[] inputs = step.Floats("inputs");
        int[] labels = step.Longs("labels").Select(l => (int)l).ToArray();
        float loss = net.ComputeGradients(inputs, labels);
        Assert.True(Math.Abs(loss - step.Floats("loss")[0]) <= 1e-5, $"loss: NetGen {loss:R}, PyTorch {step.Floats("loss")[0]:R}");
        foreach (NamedTensor tensor in net.Parameters)
        {
            float[] expected = step.Floats("grad." + tensor.Name);
            Assert.Equal(tensor.Shape.Select(d => (long)d), step.Shape("grad." + tensor.Name));
            var actual = new float[expected.Length];
            tensor.Layout.ToRowMajor(tensor.Gradients!, actual);
            float scale = expected.Max(Math.Abs);
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-4 * scale, $"grad {tensor.Name} {i}: NetGen {actual[i]:R}, PyTorch {expected[i]:R}");
        }
        net.OptimizerStep();
        foreach (NamedTensor tensor in net.Parameters)
        {
            float[] expected = step.Floats(tensor.Name);
            var actual = new float[expected.Length];
            tensor.Layout.ToRowMajor(tensor.Values, actual);
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-5, $"{tensor.Name} {i} after the step: NetGen {actual[i]:R}, PyTorch {expected[i]:R}");
        }
    }

    /// <summary>
    /// What NetGen saves holds PyTorch's state_dict: every tensor by its name, in PyTorch's shape and row-major order, bit for
    /// bit what PyTorch's file gave (so <c>model.load_state_dict(load_file(path), strict=False)</c> takes it; the extra
    /// tensors are Adam's state).
    /// </summary>
    [Fact]
    public void The_file_NetGen_writes_holds_PyTorchs_state_dict()
    {
        var pytorch = new FixtureFile(FixtureFile.PathOf("mnist_cnn.initial.safetensors"));
        string path = Path.Combine(_folder.Path, "mnist_cnn.safetensors");
        ModelFile.Save(path, Initial());
        var saved = new FixtureFile(path);
        foreach (string name in pytorch.Names)
        {
            Assert.Equal(pytorch.Shape(name), saved.Shape(name));
            Assert.Equal(pytorch.Floats(name), saved.Floats(name));
        }
    }
}
