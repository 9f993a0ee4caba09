using System;
using System.IO;
using Xunit;

using NetGen.Cli;

namespace NetGen.Mnist.Tests;

/// <summary>
/// Issue 12: a model file PyTorch wrote evaluates in the program to PyTorch's own accuracy. The file is mnist_cnn as PyTorch
/// trained it and <c>safetensors.torch.save_file</c> would save it (tests/NetGen.Tests/Fixtures/pytorch, make_trained.py),
/// where PyTorch counted 9710 of the 10,000 test images right, and 198 of the first 200 (its stored predictions against the
/// labels). The library's test (PyTorchTrainedCnnTests) checks all 10,000 predictions; the program is run here on the
/// tests' small data folder (the first 200 test images), as a Debug build evaluates the whole test set slowly.
/// </summary>
public sealed class PyTorchFileTests
{
    [Fact]
    public void Eval_of_PyTorchs_trained_mnist_cnn_prints_PyTorchs_accuracy()
    {
        string model = Path.Combine(AppContext.BaseDirectory, "Fixtures", "pytorch", "mnist_cnn.trained.safetensors");
        Assert.True(File.Exists(model), $"{model} is missing: the test project copies it from tests/NetGen.Tests/Fixtures/pytorch");
        RunResult eval = App.Run("eval", "--net", "mnist_cnn", "--load", model, "--data", SmallMnist.Directory);

        Assert.True(eval.ExitCode == 0, eval.ToString());
        Assert.Equal("", eval.Error);
        Assert.Equal($"Evaluating \"mnist_cnn\" from {model} (weights only, no NetGen metadata, e.g. from PyTorch) on 200 test images", eval.OutLines[0]);
        Assert.Equal("Test accuracy: 99.00% (198/200)", eval.LastLine);
    }
}
