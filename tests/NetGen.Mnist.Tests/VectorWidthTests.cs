using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using NetGen.Kernels;
using Xunit;
using Xunit.Abstractions;

using NetGen.Cli;

namespace NetGen.Mnist.Tests;

/// <summary>
/// The register-blocked kernels sum each output in its own lane in the same order at both widths, so Vector512 must train
/// the same weights as Vector256 bit for bit. Each width runs in a process of its own (the width is fixed per process):
/// Vector256 with AVX-512 switched off in the JIT, Vector512 where the CPU has it, or forced (and computed as two Vector256
/// halves by .NET) where it does not.
/// </summary>
public sealed class VectorWidthTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("mnist")]
    [InlineData("mnist_cnn")]
    public void Vector512_kernels_train_the_same_weights_as_Vector256(string net)
    {
        string narrow = Train(net, "narrow", new() { ["DOTNET_EnableAVX512F"] = "0", ["DOTNET_EnableAVX512"] = "0" });
        string wide = Train(net, "wide", new() { [Widths.ForceVector512Variable] = "1" });

        var (expected, _) = SafeTensors.Read(narrow);
        var (actual, _) = SafeTensors.Read(wide);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, tensor) in expected)
            Assert.True(tensor.Data.AsSpan().SequenceEqual(actual[name].Data), $"{net}: {name} differs between Vector256 and Vector512 kernels");
    }

    private string Train(string net, string name, Dictionary<string, string> environment)
    {
        string model = _temp.File(name + ".safetensors");
        // Batch 50 on the 600 images: each output block sums rows of 50 listed values, and the last batch is full.
        using Process process = ProgramProcess.Start(environment,
            "train", "--net", net, "--data", SmallMnist.Directory, "--epochs", "1", "--threads", "1", "--batch-size", "50", "--save", model);
        string stdout = process.StandardOutput.ReadToEnd(), stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        output.WriteLine($"{name}: exit {process.ExitCode}\n{stdout}{stderr}");
        Assert.Equal(0, process.ExitCode);
        return model;
    }
}
