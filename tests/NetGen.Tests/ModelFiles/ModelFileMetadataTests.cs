using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NetGen.Tests.Data;
using NetGen.Tests.Networks;
using Xunit;
using static NetGen.Tests.ModelFiles.ModelFileTestKit;

namespace NetGen.Tests.ModelFiles;

/// <summary>
/// <see cref="ModelFile.ReadMetadata(string)"/> and <see cref="ModelFile.OpenRead"/>: what a file says besides its tensors,
/// as typed values, without a network; a broken header is refused as a load refuses it (ModelFileValidationTests).
/// </summary>
public class ModelFileMetadataTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string> Networks() => new("tiny", "dropout", "adamw", "momentum", "sgd", "nobias");

    [Theory]
    [MemberData(nameof(Networks))]
    public void Metadata_of_a_saved_file_is_what_was_saved(string name)
    {
        using ITestNetwork network = NetworkTestKit.Create(name, seed: -17, threads: 2);
        TrainSomeSteps(network, steps: 4);
        network.LearningRate = 0.0123f;
        var position = new TrainingPosition(3, 5, new ulong[] { 7, 0, ulong.MaxValue, 1 }) { BatchSize = 6, TrainingRows = 1234 };
        string path = _folder.File(name + ".safetensors");
        ModelFile.Save(path, network, position);

        Checkpoint metadata = ModelFile.ReadMetadata(path);

        Assert.Equal(name, metadata.NetworkName);
        Assert.Equal(network.SpecHash, metadata.SpecHash);
        Assert.Equal(network.Architecture, metadata.Architecture);
        Assert.Equal(-17, metadata.Seed);
        Assert.Equal(4, metadata.Step);
        Assert.True(metadata.HasOptimizerState);
        Assert.Equal(0.0123f, metadata.LearningRate);
        Assert.Equal(2, metadata.Threads);
        Assert.Equal(3, metadata.Position!.Epoch);
        Assert.Equal(5, metadata.Position.StepInEpoch);
        Assert.Equal(6, metadata.Position.BatchSize);
        Assert.Equal(1234, metadata.Position.TrainingRows);
        Assert.Equal(position.ShuffleState, metadata.Position.ShuffleState);
        Assert.Equal(network.DropoutRandom?.GetState(), metadata.DropoutState);
        Assert.Equal(new ParsedSafetensors(File.ReadAllBytes(path)).Metadata.OrderBy(e => e.Key), metadata.Metadata.OrderBy(e => e.Key));

        // A load returns the same values.
        using ITestNetwork loaded = NetworkTestKit.Create(name);
        AssertSameValues(metadata, ModelFile.Load(path, loaded));
    }

    [Fact]
    public void Metadata_of_a_file_saved_without_a_position_has_none()
    {
        using ITestNetwork network = NetworkTestKit.Create("tiny", seed: 4);
        string path = _folder.File("fresh.safetensors");
        ModelFile.Save(path, network);

        Checkpoint metadata = ModelFile.ReadMetadata(path);

        Assert.Null(metadata.Position);
        Assert.Equal(0, metadata.Step);
        Assert.Equal(4, metadata.Seed);
        Assert.Equal(1, metadata.Threads);
        Assert.Equal(network.LearningRate, metadata.LearningRate);
        Assert.Null(metadata.DropoutState);
    }

    [Fact]
    public void Metadata_of_a_pytorch_file_without_metadata_is_null()
    {
        using ITestNetwork source = NetworkTestKit.Create("tiny", seed: 1);
        string path = _folder.File("pytorch.safetensors");
        File.WriteAllBytes(path, ReferenceSafetensors.Build(ReferenceSafetensors.StateDict(source)));

        Checkpoint metadata = ModelFile.ReadMetadata(path);

        Assert.Null(metadata.NetworkName);
        Assert.Null(metadata.SpecHash);
        Assert.Null(metadata.Architecture);
        Assert.Null(metadata.Position);
        Assert.Null(metadata.Step);
        Assert.Null(metadata.Seed);
        Assert.Null(metadata.LearningRate);
        Assert.Null(metadata.Threads);
        Assert.Null(metadata.DropoutState);
        Assert.False(metadata.HasOptimizerState);
        Assert.Empty(metadata.Metadata);
    }

    [Fact]
    public void Reading_metadata_reads_the_header_only()
    {
        // Tensor bytes that a load refuses (a NaN) and a file cut short of its data: the header alone is still read.
        using ITestNetwork network = NetworkTestKit.Create("tiny", seed: 2);
        byte[] saved = SavedBytes(network);
        var (header, data) = Split(saved);
        BitConverter.TryWriteBytes(data.AsSpan(0, 4), float.NaN);
        string path = _folder.File("nan.safetensors");
        File.WriteAllBytes(path, Join(header, data));

        Assert.Equal(2, ModelFile.ReadMetadata(path).Seed);
        AssertMessage(Assert.Throws<ModelFormatException>(() => ModelFile.Load(path, NetworkTestKit.Create("tiny"))), path, "NaN");
    }

    [Fact]
    public void Missing_files_and_folders_are_refused_as_a_load_refuses_them()
    {
        string missing = _folder.File("missing.safetensors");
        AssertMessage(Assert.Throws<ModelFormatException>(() => ModelFile.ReadMetadata(missing)), missing, "file not found");
        AssertMessage(Assert.Throws<ModelFormatException>(() => ModelFile.OpenRead(missing)), missing, "file not found");
        AssertMessage(Assert.Throws<ModelFormatException>(() => ModelFile.ReadMetadata(_folder.Path)), _folder.Path, "is a folder, not a file");
    }

    [Fact]
    public void An_open_file_gives_its_metadata_then_loads_into_a_network_made_from_it()
    {
        using ITestNetwork trained = NetworkTestKit.Create("dropout", seed: 6, threads: 2);
        TrainSomeSteps(trained, steps: 3);
        string path = _folder.File("dropout.safetensors");
        ModelFile.Save(path, trained, TrainingPosition.Start(6));

        using (ModelFileReader file = ModelFile.OpenRead(path))
        {
            Checkpoint metadata = file.Checkpoint;
            using ITestNetwork made = NetworkTestKit.Create(metadata.NetworkName!, metadata.Seed, threads: metadata.Threads!.Value);
            Checkpoint loaded = file.Load(made);

            AssertSameState(trained, made, "loaded from the open file");
            Assert.Equal(2, made.Threads);
            Assert.Same(metadata, loaded);

            // Again, into another network: the tensors are read again from the same open file.
            using ITestNetwork again = NetworkTestKit.Create("dropout", seed: 99);
            file.Load(again);
            AssertSameState(trained, again, "loaded a second time");
        }

        var reader = ModelFile.OpenRead(path);
        reader.Dispose();
        reader.Dispose();
        Assert.Throws<ObjectDisposedException>(() => reader.Load(NetworkTestKit.Create("dropout")));
    }

    [Fact]
    public void An_open_file_that_does_not_fit_the_network_is_refused_and_the_network_unchanged()
    {
        using ITestNetwork source = NetworkTestKit.Create("mixed", seed: 1);
        string path = _folder.File("mixed.safetensors");
        ModelFile.Save(path, source);
        using ITestNetwork other = NetworkTestKit.Create("tiny", seed: 2);
        var snapshot = new NetworkSnapshot(other);

        using ModelFileReader file = ModelFile.OpenRead(path);
        Assert.Equal("mixed", file.Checkpoint.NetworkName);
        var ex = Assert.Throws<ModelFormatException>(() => file.Load(other));

        AssertMessage(ex, path, "made for a different architecture than network \"tiny\" (saved from network \"mixed\")");
        snapshot.AssertUnchanged("a file of another network");
    }

    private static void AssertSameValues(Checkpoint expected, Checkpoint actual)
    {
        Assert.Equal(expected.NetworkName, actual.NetworkName);
        Assert.Equal(expected.SpecHash, actual.SpecHash);
        Assert.Equal(expected.Architecture, actual.Architecture);
        Assert.Equal(expected.Position?.Epoch, actual.Position?.Epoch);
        Assert.Equal(expected.Position?.StepInEpoch, actual.Position?.StepInEpoch);
        Assert.Equal(expected.Position?.ShuffleState, actual.Position?.ShuffleState);
        Assert.Equal(expected.Step, actual.Step);
        Assert.Equal(expected.Seed, actual.Seed);
        Assert.Equal(expected.HasOptimizerState, actual.HasOptimizerState);
        Assert.Equal(expected.LearningRate, actual.LearningRate);
        Assert.Equal(expected.Threads, actual.Threads);
        Assert.Equal(expected.DropoutState, actual.DropoutState);
        Assert.Equal(expected.Metadata.OrderBy(e => e.Key), actual.Metadata.OrderBy(e => e.Key));
    }
}
