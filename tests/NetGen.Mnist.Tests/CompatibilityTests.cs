using System;
using System.IO;
using Xunit;

using NetGen.Cli;

namespace NetGen.Mnist.Tests;

/// <summary>A model file saved by netgen-mnist 0.1.0 (tests/NetGen.Tests/Fixtures) still evaluates as it did then.</summary>
public sealed class CompatibilityTests
{
    [Fact]
    public void Eval_of_a_0_1_0_model_file_gives_its_accuracy()
    {
        string model = Path.Combine(AppContext.BaseDirectory, "Fixtures", "mnist-0.1.0.safetensors");
        Assert.True(File.Exists(model), $"{model} is missing: the test project copies it from tests/NetGen.Tests/Fixtures");
        string? data = MnistData.FindDirectory();
        Assert.True(data is not null, "data/mnist not found above the test's folder");

        RunResult eval = App.Run("eval", "--load", model, "--data", data!);

        Assert.True(eval.ExitCode == 0, eval.ToString());
        Assert.Equal("", eval.Error);
        Assert.Equal($"Evaluating \"mnist\" from {model} (trained for 1 epoch) on 10000 test images", eval.OutLines[0]);
        Assert.Equal("Test accuracy: 95.81% (9581/10000)", eval.LastLine);
    }
}
