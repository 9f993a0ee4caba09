using System;
using System.IO;
using System.Linq;
using NetGen.Tests.Data;
using NetGen.Tests.Networks;
using Xunit;
using static NetGen.Tests.ModelFiles.ModelFileTestKit;

namespace NetGen.Tests.ModelFiles;

/// <summary>The Stream overloads of <see cref="ModelFile"/>: the same bytes and the same load as with a file.</summary>
public class ModelFileStreamTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string, bool> Cases()
    {
        var cases = new TheoryData<string, bool>();
        foreach (string name in new[] { "tiny", "dropout", "momentum", "sgd", "bce" })
        {
            cases.Add(name, true);
            cases.Add(name, false);
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Saving_to_a_stream_writes_the_bytes_of_a_file_and_loading_from_it_restores_the_network(string name, bool withPosition)
    {
        using ITestNetwork network = NetworkTestKit.Create(name, seed: 12);
        TrainSomeSteps(network, steps: 3);
        TrainingPosition? position = withPosition ? new TrainingPosition(2, 1, TrainingPosition.Start(12).ShuffleState) : null;

        using var stream = new MemoryStream();
        ModelFile.Save(stream, network, position);
        byte[] fromStream = stream.ToArray();
        Assert.Equal(SavedBytes(network, position), fromStream);

        stream.Position = 0;
        using ITestNetwork fromMemory = NetworkTestKit.Create(name, seed: 13);
        Checkpoint streamed = ModelFile.Load(stream, fromMemory);
        string path = _folder.File(name + ".safetensors");
        File.WriteAllBytes(path, fromStream);
        using ITestNetwork fromFile = NetworkTestKit.Create(name, seed: 14);
        Checkpoint filed = ModelFile.Load(path, fromFile);

        AssertSameState(network, fromMemory, "loaded from a stream");
        AssertSameState(fromFile, fromMemory, "stream vs file");
        Assert.Equal(filed.Step, streamed.Step);
        Assert.Equal(filed.Position?.ShuffleState, streamed.Position?.ShuffleState);
        Assert.Equal(filed.DropoutState, streamed.DropoutState);
    }

    [Fact]
    public void A_stream_is_read_from_its_position_and_its_metadata_can_be_read_before_loading()
    {
        using ITestNetwork network = NetworkTestKit.Create("adamw", seed: 5);
        TrainSomeSteps(network, steps: 2);
        byte[] prefix = [1, 2, 3];
        using var stream = new MemoryStream();
        stream.Write(prefix);
        ModelFile.Save(stream, network, TrainingPosition.Start(5));
        stream.Position = prefix.Length;

        Checkpoint metadata = ModelFile.ReadMetadata(stream);
        Assert.Equal(prefix.Length, stream.Position);
        Assert.Equal(5, metadata.Seed);

        using ITestNetwork loaded = NetworkTestKit.Create("adamw", seed: metadata.Seed);
        ModelFile.Load(stream, loaded);
        AssertSameState(network, loaded, "loaded after reading the metadata");
        Assert.True(stream.CanRead, "the stream was closed");
    }

    [Fact]
    public void A_broken_stream_is_refused_with_the_message_of_a_file_naming_the_stream()
    {
        using ITestNetwork network = NetworkTestKit.Create("tiny");
        byte[] saved = SavedBytes(network);

        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Load(new MemoryStream(saved[..^4]), network));
        AssertMessage(ex, "stream", "run past the end of the data");
        ex = Assert.Throws<ModelFormatException>(() => ModelFile.ReadMetadata(new MemoryStream(saved[..5])));
        AssertMessage(ex, "stream", "too short for a safetensors file: 5 bytes");

        // A file stream is named by its path.
        string path = _folder.File("cut.safetensors");
        File.WriteAllBytes(path, saved[..^4]);
        using FileStream file = File.OpenRead(path);
        ex = Assert.Throws<ModelFormatException>(() => ModelFile.Load(file, network));
        AssertMessage(ex, Path.GetFullPath(path), "run past the end of the data");
    }

    [Fact]
    public void A_stream_that_cannot_seek_or_write_is_refused_as_an_argument()
    {
        using ITestNetwork network = NetworkTestKit.Create("tiny");
        byte[] saved = SavedBytes(network);
        Assert.Throws<ArgumentException>(() => ModelFile.Load(new ForwardOnlyStream(saved), network));
        Assert.Throws<ArgumentException>(() => ModelFile.ReadMetadata(new ForwardOnlyStream(saved)));
        Assert.Throws<ArgumentException>(() => ModelFile.Save(new MemoryStream(saved, writable: false), network));
        Assert.Throws<ArgumentNullException>(() => ModelFile.Save((Stream)null!, network));
    }

    [Fact]
    public void A_network_with_a_nan_is_not_written_to_a_stream()
    {
        using ITestNetwork network = NetworkTestKit.Create("tiny");
        network.Parameters[0].Values[3] = float.PositiveInfinity;
        using var stream = new MemoryStream();
        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Save(stream, network));
        AssertMessage(ex, "stream", "fc1.weight", "+infinity", "not saved");
        Assert.Equal(0, stream.Length);
    }

    /// <summary>A readable stream without seeking, as a network or pipe stream.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
