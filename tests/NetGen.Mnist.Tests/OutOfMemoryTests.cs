using System;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using Xunit;
using Xunit.Abstractions;

using NetGen.Cli;

namespace NetGen.Mnist.Tests;

/// <summary>
/// No OutOfMemoryException escapes the program: running out while reading the inputs (or making the network an option
/// sizes) is bad input, exit 1; during training, exit 2; one <c>error:</c> line either way. Reading runs in a child
/// process under a heap limit (DOTNET_GCHeapHardLimit); training in process, with a step that throws.
/// </summary>
public sealed class OutOfMemoryTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>The child's heap: 256 MB, enough to start and read small files, not for a 400 MB array.</summary>
    private const string HeapLimit = "0x10000000";

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Runs the built program (beside the tests) in a child process under <see cref="HeapLimit"/>.</summary>
    private RunResult RunUnderHeapLimit(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _temp.Path,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "netgen-mnist.dll"));
        foreach (string arg in args) start.ArgumentList.Add(arg);
        start.Environment["DOTNET_GCHeapHardLimit"] = HeapLimit;
        start.Environment["CI"] = "true";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"netgen-mnist {string.Join(" ", args)} still running after 2 minutes");
        }
        var run = new RunResult(process.ExitCode, stdout.Result, stderr.Result);
        output.WriteLine(run.ToString());
        return run;
    }

    [Fact]
    public void Data_too_large_for_the_memory_is_bad_input()
    {
        // 500,000 zero images: 392 MB in a 380 KB gzip file, a valid claim, with as many labels.
        const int Images = 500_000;
        string data = Idx.WriteSynthetic(_temp);
        using (var gzip = new GZipStream(File.Create(Path.Combine(data, "train-images-idx3-ubyte.gz")), CompressionLevel.SmallestSize))
        {
            gzip.Write(Idx.Build([Images, 28, 28], []));
            var block = new byte[28 * 28 * 1000];
            for (int i = 0; i < Images / 1000; i++) gzip.Write(block);
        }
        File.WriteAllBytes(Path.Combine(data, "train-labels-idx1-ubyte.gz"), Idx.Gzip(Idx.Build([Images], new byte[Images])));

        RunResult run = RunUnderHeapLimit("train", "--data", data, "--epochs", "1");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal([$"error: {data}: not enough memory to read the MNIST files in it"], run.ErrorLines);
    }

    [Fact]
    public void A_batch_too_large_for_the_memory_is_bad_input()
    {
        RunResult run = RunUnderHeapLimit("train", "--data", Idx.WriteSynthetic(_temp), "--batch-size", "600000");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal(["error: --batch-size 600000: not enough memory for the training buffers of network \"mnist\"; give a smaller batch"], run.ErrorLines);
    }

    [Fact]
    public void Running_out_of_memory_during_training_is_a_training_failure()
    {
        string data = Idx.WriteSynthetic(_temp);
        RunResult run = App.Run(["train", "--data", data, "--epochs", "1", "--batch-size", "2"], default, _ => throw new OutOfMemoryException());

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal(["error: out of memory: the process could not get the memory it needed"], run.ErrorLines);
        Assert.DoesNotContain("Test accuracy", run.Out);
    }
}
