using System;
using System.IO;
using Xunit;

namespace NetGen.Mnist.Tests;

/// <summary>
/// Issue 12: a model file PyTorch wrote evaluates in the program to PyTorch's own accuracy. The file is mnist_cnn as PyTorch
/// trained it and <c>safetensors.torch.save_file</c> would save it (tests/NetGen.Tests/Fixtures/pytorch, make_trained.py),
/// where PyTorch counted 9710 of the 10,000 test images right.
/// </summary>
public sealed class PyTorchFileTests
{
    [Fact]
    public void Eval_of_PyTorchs_trained_mnist_cnn_prints_PyTorchs_accuracy()
    {
        string model = Path.Combine(AppContext.BaseDirectory, "Fixtures", "pytorch", "mnist_cnn.trained.safetensors");
        Assert.True(File.Exists(model), $"{model} is missing: the test project copies it from tests/NetGen.Tests/Fixtures/pytorch");
        string? data = MnistData.FindDirectory();
        Assert.True(data is not null, "data/mnist not found above the test's folder");

        RunResult eval = App.Run("eval", "--net", "mnist_cnn", "--load", model, "--data", data!);

        Assert.True(eval.ExitCode == 0, eval.ToString());
        Assert.Equal("", eval.Error);
        Assert.Equal($"Evaluating \"mnist_cnn\" from {model} (weights only, no NetGen metadata, e.g. from PyTorch) on 10000 test images", eval.OutLines[0]);
        Assert.Equal("Test accuracy: 97.10% (9710/10000)", eval.LastLine);
    }
}
