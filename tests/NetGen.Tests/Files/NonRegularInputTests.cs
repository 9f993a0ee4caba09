using System;
using System.IO;
using NetGen.Testing;
using NetGen.Tests.Data;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests.Files;

/// <summary>
/// Every reader of a path refuses one that names no regular file before opening it, with one line naming the file and
/// what it is: opening a named pipe waits for a writer (forever, if none comes), and a device gives endless bytes or none.
/// Each read runs under a time limit, so that a reader that opens the pipe after all fails the test instead of hanging it.
/// </summary>
public sealed class NonRegularInputTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_named_pipe_is_refused_as_an_IDX_file()
    {
        if (!NamedPipe.Supported) return;
        using var pipe = NamedPipe.Silent(_temp.File("t10k-labels-idx1-ubyte.gz"));
        var ex = pipe.Within(Limit, () => Assert.Throws<DataFormatException>(() => IdxReader.Read(pipe.Path)));
        Assert.Equal($"{pipe.Path}: is a named pipe (FIFO), not a regular file", ex.Message);
    }

    [Fact]
    public void A_named_pipe_that_sends_a_valid_header_then_endless_bytes_is_refused()
    {
        if (!NamedPipe.Supported) return;
        byte[] header = IdxTestFiles.Bytes([60000, 28, 28], []);
        using var pipe = NamedPipe.Endless(_temp.File("train-images-idx3-ubyte"), header);
        var ex = pipe.Within(Limit, () => Assert.Throws<DataFormatException>(() => IdxReader.Read(pipe.Path)));
        Assert.Equal($"{pipe.Path}: is a named pipe (FIFO), not a regular file", ex.Message);
    }

    [Fact]
    public void A_named_pipe_among_the_MNIST_files_is_refused()
    {
        if (!NamedPipe.Supported) return;
        File.WriteAllBytes(_temp.File("train-labels-idx1-ubyte"), IdxTestFiles.Labels(1, 2, 3));
        using var pipe = NamedPipe.Endless(_temp.File("train-images-idx3-ubyte.gz"), IdxTestFiles.Bytes([3, 28, 28], []));
        var ex = pipe.Within(Limit, () => Assert.Throws<DataFormatException>(() => MnistData.LoadTrain(_temp.Path)));
        Assert.Equal($"{pipe.Path}: is a named pipe (FIFO), not a regular file", ex.Message);
    }

    [Fact]
    public void A_named_pipe_or_a_file_is_refused_as_the_MNIST_folder()
    {
        string file = _temp.File("data");
        File.WriteAllBytes(file, [1]);
        Assert.Equal($"{file}: is a regular file, not a folder", Assert.Throws<DataFormatException>(() => MnistData.LoadTest(file)).Message);
        if (!NamedPipe.Supported) return;
        using var pipe = NamedPipe.Silent(_temp.File("mnist"));
        var ex = pipe.Within(Limit, () => Assert.Throws<DataFormatException>(() => MnistData.LoadTest(pipe.Path)));
        Assert.Equal($"{pipe.Path}: is a named pipe (FIFO), not a folder", ex.Message);
    }

    [Fact]
    public void A_named_pipe_is_refused_as_a_model_file_by_every_way_of_reading_one()
    {
        if (!NamedPipe.Supported) return;
        using var pipe = NamedPipe.Silent(_temp.File("model.safetensors"));
        string expected = $"{pipe.Path}: is a named pipe (FIFO), not a regular file";
        using INetwork network = NetworkTestKit.Create("tiny");
        Assert.Equal(expected, pipe.Within(Limit, () => Assert.Throws<ModelFormatException>(() => ModelFile.Load(pipe.Path, network))).Message);
        Assert.Equal(expected, pipe.Within(Limit, () => Assert.Throws<ModelFormatException>(() => ModelFile.ReadMetadata(pipe.Path))).Message);
        Assert.Equal(expected, pipe.Within(Limit, () => Assert.Throws<ModelFormatException>(() => ModelFile.OpenRead(pipe.Path))).Message);
    }

    [Fact]
    public void A_named_pipe_that_sends_a_model_file_is_refused()
    {
        if (!NamedPipe.Supported) return;
        using INetwork network = NetworkTestKit.Create("tiny");
        using var pipe = NamedPipe.Endless(_temp.File("model.safetensors"), ModelFiles.ModelFileTestKit.SavedBytes(network));
        var ex = pipe.Within(Limit, () => Assert.Throws<ModelFormatException>(() => ModelFile.Load(pipe.Path, network)));
        Assert.Equal($"{pipe.Path}: is a named pipe (FIFO), not a regular file", ex.Message);
    }

    [Fact]
    public void A_character_device_is_refused_as_data_and_as_a_model_file()
    {
        if (!OperatingSystem.IsLinux()) return;
        const string Device = "/dev/zero"; // endless zero bytes: it used to be refused only because its length is 0
        const string Expected = Device + ": is a character device, not a regular file";
        Assert.Equal(Expected, Assert.Throws<DataFormatException>(() => IdxReader.Read(Device)).Message);
        using INetwork network = NetworkTestKit.Create("tiny");
        Assert.Equal(Expected, Assert.Throws<ModelFormatException>(() => ModelFile.Load(Device, network)).Message);
        Assert.Equal(Expected, Assert.Throws<ModelFormatException>(() => ModelFile.ReadMetadata(Device)).Message);
        Assert.Equal(Expected, Assert.Throws<ModelFormatException>(() => ModelFile.OpenRead(Device)).Message);
    }
}
