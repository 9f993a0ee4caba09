using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using Xunit.Abstractions;

using NetGen.Cli;

namespace NetGen.Mnist.Tests;

/// <summary>A fresh temporary folder for one test, deleted on Dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "netgen-mnist-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Folder(string name)
    {
        string path = File(name);
        Directory.CreateDirectory(path);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

/// <summary>What one in-process run of the program did.</summary>
internal sealed record RunResult(int ExitCode, string Out, string Error)
{
    public string[] OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    public string LastLine => OutLines.Length == 0 ? "" : OutLines[^1];

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}--- stderr\n{Error}";
}

/// <summary>Runs the program in process, as Main does but with plain output captured.</summary>
internal static class App
{
    /// <summary>What netgen-mnist's Program.cs gives NetGenCli: its name and its default network.</summary>
    public static CliContext Context(TextWriter stdout, TextWriter stderr, Spectre.Console.IAnsiConsole? live, CancellationToken cancellation, Action<StepProgress>? onStep = null) =>
        new(stdout, stderr, live, cancellation, onStep) { ProgramName = "netgen-mnist", DefaultNetwork = "mnist" };

    public static RunResult Run(params string[] args) => Run(args, CancellationToken.None, null);

    /// <summary>Runs the program and writes the command line and what it did to the test's output.</summary>
    public static RunResult Run(ITestOutputHelper log, params string[] args)
    {
        RunResult run = Run(args);
        log.WriteLine($"> {string.Join(" ", args)}\n{run}");
        return run;
    }

    public static RunResult Run(string[] args, CancellationToken cancellation, Action<StepProgress>? onStep)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliCommands.Run(args, Context(stdout, stderr, null, cancellation, onStep));
        return new RunResult(code, stdout.ToString(), stderr.ToString());
    }
}

/// <summary>Starts the built program as a process of its own (standard output and error redirected).</summary>
internal static class ProgramProcess
{
    public static Process Start(params string[] args) => Start(new Dictionary<string, string>(), args);

    /// <summary>Starts the program with <paramref name="environment"/> added to its environment.</summary>
    public static Process Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        // The dotnet host that runs these tests, and the program's dll copied beside them.
        string host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(System.IO.Path.Combine(AppContext.BaseDirectory, "netgen-mnist.dll"));
        foreach (string arg in args) start.ArgumentList.Add(arg);
        start.Environment["CI"] = "true"; // plain lines
        foreach (var (name, value) in environment) start.Environment[name] = value;
        return Process.Start(start)!;
    }
}

/// <summary>Builds IDX files byte by byte (independently of the runtime's reader).</summary>
internal static class Idx
{
    public static byte[] Build(int[] dimensions, byte[] data, byte type = 0x08, byte first = 0, byte second = 0)
    {
        var bytes = new byte[4 + 4 * dimensions.Length + data.Length];
        bytes[0] = first;
        bytes[1] = second;
        bytes[2] = type;
        bytes[3] = (byte)dimensions.Length;
        for (int i = 0; i < dimensions.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dimensions[i]);
        data.CopyTo(bytes, 4 + 4 * dimensions.Length);
        return bytes;
    }

    public static byte[] Images(int count, int rows, int columns, byte[]? pixels = null)
    {
        pixels ??= Enumerable.Range(0, count * rows * columns).Select(i => (byte)(i * 7 % 256)).ToArray();
        return Build([count, rows, columns], pixels);
    }

    public static byte[] Labels(int count) => Build([count], Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray());

    public static byte[] Gzip(byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(content);
        return output.ToArray();
    }

    /// <summary>A folder with four small, valid synthetic MNIST files (10 train, 5 test images); tests then break one.</summary>
    public static string WriteSynthetic(TempFolder temp, string name = "data")
    {
        string dir = temp.Folder(name);
        File.WriteAllBytes(Path.Combine(dir, "train-images-idx3-ubyte.gz"), Gzip(Images(10, 28, 28)));
        File.WriteAllBytes(Path.Combine(dir, "train-labels-idx1-ubyte.gz"), Gzip(Labels(10)));
        File.WriteAllBytes(Path.Combine(dir, "t10k-images-idx3-ubyte.gz"), Gzip(Images(5, 28, 28)));
        File.WriteAllBytes(Path.Combine(dir, "t10k-labels-idx1-ubyte.gz"), Gzip(Labels(5)));
        return dir;
    }
}

/// <summary>
/// A small MNIST: the first 600 training and 200 test images of the repository's data/mnist, written once per
/// test run as IDX files (train gzipped, test plain) into a folder that tests only read.
/// </summary>
internal static class SmallMnist
{
    public const int TrainCount = 600;
    public const int TestCount = 200;

    private static readonly Lazy<string> Folder = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Lazy<ImageDataset> TestSet = new(() => MnistData.LoadTest(Directory));

    /// <summary>The folder with the four files.</summary>
    public static string Directory => Folder.Value;

    public static ImageDataset Test => TestSet.Value;

    private static string Create()
    {
        string source = MnistData.FindDirectory() ?? throw new InvalidOperationException("data/mnist not found above the test's folder");
        string dir = Path.Combine(Path.GetTempPath(), "netgen-mnist-tests-small-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dir);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { System.IO.Directory.Delete(dir, recursive: true); }
            catch (IOException) { }
        };
        ImageDataset train = MnistData.LoadTrain(source).Take(TrainCount);
        ImageDataset test = MnistData.LoadTest(source).Take(TestCount);
        File.WriteAllBytes(Path.Combine(dir, MnistData.TrainImagesName + ".gz"), Idx.Gzip(Idx.Images(train.Count, 28, 28, train.Pixels.ToArray())));
        File.WriteAllBytes(Path.Combine(dir, MnistData.TrainLabelsName + ".gz"), Idx.Gzip(Idx.Build([train.Count], train.Labels.ToArray())));
        File.WriteAllBytes(Path.Combine(dir, MnistData.TestImagesName), Idx.Images(test.Count, 28, 28, test.Pixels.ToArray()));
        File.WriteAllBytes(Path.Combine(dir, MnistData.TestLabelsName), Idx.Build([test.Count], test.Labels.ToArray()));
        return dir;
    }

    /// <summary>Test image <paramref name="index"/> as a binary PGM (P5), white digit on black as in MNIST.</summary>
    public static void WritePgm(string path, int index)
    {
        using var file = File.Create(path);
        file.Write(Encoding.ASCII.GetBytes("P5\n28 28\n255\n"));
        file.Write(Test.Image(index));
    }
}

/// <summary>Reads and writes safetensors files directly (independently of ModelFile), to compare tensors and to write PyTorch-style files.</summary>
internal static class SafeTensors
{
    public sealed record Tensor(string DType, int[] Shape, byte[] Data);

    /// <summary>Every tensor of the file by name, and its <c>__metadata__</c> (empty if none).</summary>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        using JsonDocument header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        var tensors = new Dictionary<string, Tensor>();
        var metadata = new Dictionary<string, string>();
        int dataStart = 8 + (int)headerLength;
        foreach (JsonProperty entry in header.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__")
            {
                foreach (JsonProperty m in entry.Value.EnumerateObject()) metadata[m.Name] = m.Value.GetString()!;
                continue;
            }
            int[] shape = entry.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            long[] offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            tensors[entry.Name] = new Tensor(entry.Value.GetProperty("dtype").GetString()!, shape,
                bytes.AsSpan(dataStart + (int)offsets[0], (int)(offsets[1] - offsets[0])).ToArray());
        }
        return (tensors, metadata);
    }

    /// <summary>A network tensor as PyTorch stores it: F32 little-endian, row-major in its PyTorch shape.</summary>
    public static Tensor RowMajor(NamedTensor tensor)
    {
        var data = new byte[tensor.Values.Length * 4];
        if (tensor.Shape.Length == 2)
        {
            int rows = tensor.Shape[0], columns = tensor.Shape[1], i = 0;
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < columns; c++) BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4 * i++), tensor[r, c]);
        }
        else
        {
            for (int i = 0; i < tensor.Values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4 * i), tensor.Values[i]);
        }
        return new Tensor("F32", tensor.Shape, data);
    }

    /// <summary>Writes a safetensors file as PyTorch's <c>safetensors.torch.save_file</c> does without metadata.</summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors)
    {
        var header = new StringBuilder("{");
        long offset = 0;
        bool first = true;
        foreach (var (name, tensor) in tensors)
        {
            if (!first) header.Append(',');
            first = false;
            header.Append($"\"{name}\":{{\"dtype\":\"{tensor.DType}\",\"shape\":[{string.Join(",", tensor.Shape)}],\"data_offsets\":[{offset},{offset + tensor.Data.Length}]}}");
            offset += tensor.Data.Length;
        }
        header.Append('}');
        while ((header.Length + 8) % 8 != 0) header.Append(' ');
        byte[] headerBytes = Encoding.UTF8.GetBytes(header.ToString());
        using var file = File.Create(path);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(length, headerBytes.Length);
        file.Write(length);
        file.Write(headerBytes);
        foreach (Tensor tensor in tensors.Values) file.Write(tensor.Data);
    }
}
