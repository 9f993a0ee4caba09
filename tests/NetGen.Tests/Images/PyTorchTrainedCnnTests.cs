using System;
using System.Linq;
using NetGen.Tests.Data;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Tests.Images;

/// <summary>
/// Issue 12: a model file PyTorch wrote evaluates to the same predictions. Fixtures/pytorch/mnist_cnn.trained.safetensors is
/// mnist_cnn trained by PyTorch itself (make_trained.py: 600 Adam steps) and saved as <c>safetensors.torch.save_file</c> saves
/// a state_dict (tensors sorted by name, only <c>{"format": "pt"}</c> as metadata); mnist_cnn.trained-predictions.safetensors
/// holds PyTorch's eval-mode argmax on all 10,000 test images, the top-2 margins of its logits, its count of correct ones
/// and the logits of the first 100 images.
/// </summary>
public sealed class PyTorchTrainedCnnTests(ITestOutputHelper output)
{
    private const int TestImages = 10_000;

    private static readonly FixtureFile Expected = new(FixtureFile.PathOf("mnist_cnn.trained-predictions.safetensors"));

    private static MnistCnnNet Trained(out Checkpoint checkpoint)
    {
        var net = new MnistCnnNet();
        checkpoint = ModelFile.Load(FixtureFile.PathOf("mnist_cnn.trained.safetensors"), net);
        return net;
    }

    private static ImageDataset TestSet() => MnistTestSet.Load();

    /// <summary>The file is what save_file writes: name order, not state_dict order, so loading must go by name.</summary>
    [Fact]
    public void The_fixture_is_a_weights_only_file_in_save_files_name_order()
    {
        var file = new FixtureFile(FixtureFile.PathOf("mnist_cnn.trained.safetensors"));
        Assert.Equal(["conv1.bias", "conv1.weight", "conv2.bias", "conv2.weight", "fc1.bias", "fc1.weight", "fc2.bias", "fc2.weight"], file.Names);
        using MnistCnnNet net = Trained(out Checkpoint checkpoint);
        Assert.Null(checkpoint.NetworkName);
        Assert.False(checkpoint.HasOptimizerState);
    }

    /// <summary>
    /// Every one of the 10,000 predictions is PyTorch's. PyTorch's smallest top-2 margin is 0.0026 (test image 9614), far above
    /// what summation order moves a logit (about 1e-5), so no image is a near tie and none may differ.
    /// </summary>
    [Fact]
    public void PyTorchs_trained_file_predicts_what_PyTorch_predicts_on_all_10000_test_images()
    {
        long[] expected = Expected.Longs("predictions");
        float[] margins = Expected.Floats("margins");
        Assert.Equal(TestImages, expected.Length);
        Assert.True(margins.Min() > 1e-3f, $"the fixture has a near tie (top-2 margin {margins.Min():R}): this test's strictness needs revisiting");
        using MnistCnnNet net = Trained(out _);

        EvaluationResult result = Evaluator.Evaluate(net, TestSet());

        int[] differing = Enumerable.Range(0, TestImages).Where(i => result.Predictions[i] != expected[i]).ToArray();
        Assert.True(differing.Length == 0, $"{differing.Length} predictions differ from PyTorch's: " + string.Join(", ", differing.Take(20).Select(i =>
            $"image {i}: NetGen {result.Predictions[i]}, PyTorch {expected[i]} (PyTorch's top-2 margin {margins[i]:R})")));
        Assert.Equal(Expected.Longs("correct")[0], result.Correct);
        Assert.Equal((9710, TestImages), (result.Correct, result.Total));
        Assert.Equal("Test accuracy: 97.10% (9710/10000)", result.ToString());
    }

    [Fact]
    public void PyTorchs_trained_file_gives_PyTorchs_logits_on_the_first_100_test_images()
    {
        float[] expected = Expected.Floats("logits");
        Assert.Equal(new long[] { 100, 10 }, Expected.Shape("logits"));
        ImageDataset test = TestSet();
        using MnistCnnNet net = Trained(out _);
        var inputs = new float[100 * MnistCnnNet.InputSize];
        for (int i = 0; i < 100; i++) test.CopyScaled(i, inputs.AsSpan(i * MnistCnnNet.InputSize, MnistCnnNet.InputSize));
        var logits = new float[expected.Length];

        net.Forward(inputs, logits);

        output.WriteLine($"largest difference from PyTorch's logits: {Enumerable.Range(0, logits.Length).Max(i => Math.Abs(logits[i] - expected[i])):R}");
        for (int i = 0; i < logits.Length; i++)
            Assert.True(Math.Abs(logits[i] - expected[i]) <= 1e-4, $"logit {i / 10}, {i % 10}: NetGen {logits[i]:R}, PyTorch {expected[i]:R}");
    }
}
