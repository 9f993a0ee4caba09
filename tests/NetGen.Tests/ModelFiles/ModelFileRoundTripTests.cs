using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using NetGen.Tests.Data;
using NetGen.Tests.EndToEnd;
using NetGen.Tests.Networks;
using Xunit;
using static NetGen.Tests.ModelFiles.ModelFileTestKit;

namespace NetGen.Tests.ModelFiles;

public class ModelFileRoundTripTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string> Networks() => new(
        "tiny", "mixed", "odd", "nobias", "dropout", "dropstats", "mse", "bce", "adamw", "sgd", "momentum", "nesterov", "xorbce");

    [Theory]
    [MemberData(nameof(Networks))]
    public void Load_restores_weights_optimizer_state_step_and_dropout_state_bit_for_bit(string name)
    {
        using ITestNetwork trained = NetworkTestKit.Create(name, seed: 41);
        TrainSomeSteps(trained, steps: 5);
        var position = new TrainingPosition(2, 3, new ulong[] { 1, 2, 3, ulong.MaxValue });
        string path = _folder.File(name + ".safetensors");

        ModelFile.Save(path, trained, position);
        using ITestNetwork loaded = NetworkTestKit.Create(name, seed: 42);
        Checkpoint checkpoint = ModelFile.Load(path, loaded);

        AssertSameState(trained, loaded, "after loading");
        Assert.Equal(trained.NetworkName, checkpoint.NetworkName);
        Assert.Equal(trained.SpecHash, checkpoint.SpecHash);
        Assert.Equal(trained.Architecture, checkpoint.Architecture);
        Assert.Equal(5, checkpoint.Step);
        Assert.Equal(41, checkpoint.Seed);
        Assert.True(checkpoint.HasOptimizerState);
        Assert.NotNull(checkpoint.Position);
        Assert.Equal(2, checkpoint.Position!.Epoch);
        Assert.Equal(3, checkpoint.Position.StepInEpoch);
        Assert.Equal(position.ShuffleState, checkpoint.Position.ShuffleState);

        float[] inputs = NetworkTestKit.RandomInputs(7, 9, trained.InputSize);
        Assert.True(SameBits(NetworkTestKit.Forward(trained, inputs).ToColumnMajorArray(), NetworkTestKit.Forward(loaded, inputs).ToColumnMajorArray()));
    }

    [Fact]
    public void Saved_file_is_safetensors_with_pytorch_orientation_metadata_first_and_tensors_in_order()
    {
        using ITestNetwork network = NetworkTestKit.Create("dropout", seed: 3);
        TrainSomeSteps(network, steps: 3);
        var position = new TrainingPosition(1, 2, TrainingPosition.Start(3).ShuffleState) { BatchSize = 4 };
        var file = new ParsedSafetensors(SavedBytes(network, position));

        Assert.Equal(0, (8 + file.HeaderLength) % 8);
        string json = file.HeaderText.TrimEnd(' ');
        Assert.EndsWith("}", json);
        Assert.True(file.HeaderText.Length - json.Length < 8, "padded with at most 7 spaces");
        Assert.Equal("__metadata__", file.Keys[0]);
        var expectedNames = network.Parameters.Concat(network.OptimizerState).Select(t => t.Name).ToList();
        Assert.Equal(expectedNames, file.Tensors.Select(t => t.Name));
        Assert.Equal(
            new[] { "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias", "fc4.weight", "fc4.bias" },
            network.Parameters.Select(p => p.Name));

        long offset = 0;
        foreach (ParsedSafetensors.Tensor tensor in file.Tensors)
        {
            NamedTensor source = network.Parameters.Concat(network.OptimizerState).Single(t => t.Name == tensor.Name);
            Assert.Equal("F32", tensor.DType);
            Assert.Equal(source.Shape.Select(d => (long)d), tensor.Shape);
            Assert.Equal(offset, tensor.Begin);
            offset = tensor.End;
            Assert.True(SameBits(ReferenceSafetensors.RowMajor(source), file.Values(tensor)), tensor.Name);
        }
        Assert.Equal(offset, file.Data.LongLength);
        // fc1.weight is [9, 5]: PyTorch's [out, in], as nn.Linear(5, 9).weight.
        Assert.Equal(new long[] { 9, 5 }, file.Tensors[0].Shape);
        Assert.Equal(new[] { "fc1.weight.exp_avg", "fc1.weight.exp_avg_sq" }, file.Tensors.Skip(8).Take(2).Select(t => t.Name));

        Assert.Equal(new[]
        {
            "format", "network", "spec_hash", "architecture", "seed", "optimizer_step", "learning_rate", "threads",
            "epoch", "step_in_epoch", "batch_size", "shuffle_state", "dropout_state",
        }, file.Metadata.Keys);
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal("dropout", file.Metadata["network"]);
        Assert.Equal(network.SpecHash, file.Metadata["spec_hash"]);
        Assert.Equal("input 5; fc1 9 relu; dropout 0.3; fc2 17 leaky_relu 0.1; dropout 0.5; fc3 4 tanh; dropout 0.2; fc4 3 identity; loss cross_entropy; optimizer adam",
            file.Metadata["architecture"]);
        Assert.Equal("3", file.Metadata["seed"]);
        Assert.Equal("3", file.Metadata["optimizer_step"]);
        Assert.Equal("0.01", file.Metadata["learning_rate"]);
        Assert.Equal("1", file.Metadata["threads"]);
        Assert.Equal("1", file.Metadata["epoch"]);
        Assert.Equal("2", file.Metadata["step_in_epoch"]);
        Assert.Equal("4", file.Metadata["batch_size"]);
        Assert.Equal(string.Join(",", position.ShuffleState.Select(w => w.ToString("x16", CultureInfo.InvariantCulture))), file.Metadata["shuffle_state"]);
        Assert.Equal(string.Join(",", network.DropoutRandom!.GetState().Select(w => w.ToString("x16", CultureInfo.InvariantCulture))), file.Metadata["dropout_state"]);
    }

    [Fact]
    public void Momentum_sgd_saves_its_momentum_buffers_and_plain_sgd_no_state()
    {
        using ITestNetwork momentum = NetworkTestKit.Create("momentum");
        var names = new ParsedSafetensors(SavedBytes(momentum)).Tensors.Select(t => t.Name).ToList();
        Assert.Contains("fc1.weight.momentum_buffer", names);
        Assert.Contains("fc3.bias.momentum_buffer", names);
        Assert.Equal(12, names.Count);

        using ITestNetwork sgd = NetworkTestKit.Create("sgd");
        Assert.Equal(6, new ParsedSafetensors(SavedBytes(sgd)).Tensors.Count);
    }

    [Fact]
    public void Saving_without_position_stores_none_and_a_network_without_dropout_no_dropout_state()
    {
        using ITestNetwork network = NetworkTestKit.Create("tiny");
        var file = new ParsedSafetensors(SavedBytes(network));
        Assert.DoesNotContain("epoch", file.Metadata.Keys);
        Assert.DoesNotContain("shuffle_state", file.Metadata.Keys);
        Assert.DoesNotContain("dropout_state", file.Metadata.Keys);

        string path = _folder.File("tiny.safetensors");
        ModelFile.Save(path, network);
        Checkpoint checkpoint = ModelFile.Load(path, NetworkTestKit.Create("tiny"));
        Assert.Null(checkpoint.Position);
        Assert.Equal(0, checkpoint.Step);
    }

    [Fact]
    public void Saving_twice_gives_the_same_bytes()
    {
        using ITestNetwork network = NetworkTestKit.Create("mixed", seed: 9);
        TrainSomeSteps(network, steps: 2);
        var position = new TrainingPosition(1, 1, TrainingPosition.Start(9).ShuffleState);
        Assert.Equal(SavedBytes(network, position), SavedBytes(network, position));
    }

    [Fact]
    public void Mnist_network_round_trips_and_its_file_has_the_expected_size()
    {
        using var network = new MnistNet(seed: 2);
        TrainSomeSteps(network, steps: 2);
        string path = _folder.File("mnist.safetensors");
        ModelFile.Save(path, network);

        // 109386 parameters (784*128+128 + 128*64+64 + 64*10+10), each with Adam's two moments, as F32.
        var file = new ParsedSafetensors(File.ReadAllBytes(path));
        Assert.Equal(109_386L * 3 * 4, file.Data.LongLength);
        Assert.Equal(new long[] { 128, 784 }, file.Tensors[0].Shape);

        using var loaded = new MnistNet(seed: 3);
        ModelFile.Load(path, loaded);
        AssertSameState(network, loaded, "mnist");
    }

    [Fact]
    public void Saving_a_network_with_a_nan_weight_is_refused_and_keeps_the_old_file()
    {
        using ITestNetwork network = NetworkTestKit.Create("tiny");
        string path = _folder.File("tiny.safetensors");
        ModelFile.Save(path, network);
        byte[] before = File.ReadAllBytes(path);

        network.Parameters[2].Values[5] = float.NaN;
        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Save(path, network));

        AssertMessage(ex, path, "fc2.weight", "NaN", "diverged");
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(_folder.Path));
    }

    [Fact]
    public void Loading_a_file_without_optimizer_state_resets_the_optimizer()
    {
        using ITestNetwork source = NetworkTestKit.Create("tiny", seed: 1);
        string path = _folder.File("weights.safetensors");
        File.WriteAllBytes(path, ReferenceSafetensors.Build(ReferenceSafetensors.StateDict(source)));

        using ITestNetwork target = NetworkTestKit.Create("tiny", seed: 2);
        TrainSomeSteps(target, steps: 3);
        Checkpoint checkpoint = ModelFile.Load(path, target);

        Assert.False(checkpoint.HasOptimizerState);
        Assert.Null(checkpoint.Step);
        Assert.Equal(0, target.Step);
        Assert.All(target.OptimizerState, s => Assert.All(s.Values, v => Assert.Equal(0f, v)));
        for (int i = 0; i < source.Parameters.Count; i++) Assert.True(SameBits(source.Parameters[i].Values, target.Parameters[i].Values));
    }

    [Fact]
    public void Metadata_from_other_tools_is_kept_and_returned()
    {
        using ITestNetwork source = NetworkTestKit.Create("tiny", seed: 1);
        string path = _folder.File("weights.safetensors");
        File.WriteAllBytes(path, ReferenceSafetensors.Build(ReferenceSafetensors.StateDict(source),
            new[] { new KeyValuePair<string, string>("format", "pt"), new KeyValuePair<string, string>("author", "someone") }));

        Checkpoint checkpoint = ModelFile.Load(path, NetworkTestKit.Create("tiny"));

        Assert.Equal("someone", checkpoint.Metadata["author"]);
        Assert.Equal(2, checkpoint.Metadata.Count);
        Assert.Null(checkpoint.NetworkName);
        Assert.Null(checkpoint.SpecHash);
        Assert.Null(checkpoint.Seed);
    }
}
