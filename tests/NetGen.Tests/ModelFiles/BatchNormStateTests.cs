using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NetGen.Tests.Data;
using NetGen.Tests.Images;
using NetGen.Tests.Networks;
using Xunit;
using static NetGen.Tests.ModelFiles.ModelFileTestKit;

namespace NetGen.Tests.ModelFiles;

/// <summary>
/// Batch norm state in model files: <see cref="INetwork.Buffers"/> (running statistics, F32, saved and loaded like the
/// parameters) and <see cref="INetwork.BatchCounters"/> (PyTorch's <c>num_batches_tracked</c>, I64 scalars written as
/// <see cref="INetwork.Step"/>, accepted or absent on loading), with a hand-built network (<see cref="FakeBatchNormNetwork"/>).
/// </summary>
public class BatchNormStateTests : IDisposable
{
    /// <summary>A step count that needs more than four bytes, each byte different, so a wrong width or byte order shows.</summary>
    private const long Step = 0x0000_0123_4567_89ABL;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static FakeBatchNormNetwork Trained(int seed = 1)
    {
        var network = FakeBatchNormNetwork.Small(seed);
        network.Step = Step;
        return network;
    }

    private string Write(string name, byte[] file)
    {
        string path = _folder.File(name);
        File.WriteAllBytes(path, file);
        return path;
    }

    private static List<RawTensor> StateDict(INetwork network, Func<RawTensor, RawTensor?>? edit = null) =>
        ReferenceSafetensors.StateDict(network).Select(t => edit is null ? t : edit(t)).OfType<RawTensor>().ToList();

    [Fact]
    public void Buffers_and_the_step_round_trip_through_a_file_bit_for_bit()
    {
        using FakeBatchNormNetwork saved = Trained(seed: 1);
        var position = new TrainingPosition(3, 7, TrainingPosition.Start(1).ShuffleState);
        string path = _folder.File("bn.safetensors");
        ModelFile.Save(path, saved, position);

        using FakeBatchNormNetwork loaded = FakeBatchNormNetwork.Small(seed: 2);
        Assert.False(SameBits(saved.Buffers[0].Values, loaded.Buffers[0].Values), "the two networks start with different buffers");
        Checkpoint checkpoint;
        using (ModelFileReader reader = ModelFile.OpenRead(path))
        {
            Assert.Equal(Step, reader.Checkpoint.Step);
            checkpoint = reader.Load(loaded);
        }

        AssertSameState(saved, loaded, "after loading");
        Assert.Equal(Step, loaded.Step);
        Assert.True(checkpoint.HasOptimizerState);
        Assert.Equal(7, checkpoint.Position!.StepInEpoch);
    }

    [Fact]
    public void The_file_holds_parameters_buffers_counters_then_optimizer_state_and_each_counter_is_an_I64_scalar_of_the_step()
    {
        using FakeBatchNormNetwork network = Trained();
        var file = new ParsedSafetensors(SavedBytes(network));

        var expected = network.Parameters.Select(t => t.Name)
            .Concat(new[] { "bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked" })
            .Concat(network.OptimizerState.Select(t => t.Name));
        Assert.Equal(expected, file.Tensors.Select(t => t.Name));
        Assert.Contains("\"bn1.num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[", file.HeaderText);

        ParsedSafetensors.Tensor counter = file.Tensors.Single(t => t.Name == "bn1.num_batches_tracked");
        Assert.Equal("I64", counter.DType);
        Assert.Empty(counter.Shape);
        Assert.Equal(8, counter.End - counter.Begin);
        Assert.Equal(new byte[] { 0xAB, 0x89, 0x67, 0x45, 0x23, 0x01, 0x00, 0x00 }, file.Data[(int)counter.Begin..(int)counter.End]);

        foreach (NamedTensor buffer in network.Buffers)
        {
            ParsedSafetensors.Tensor entry = file.Tensors.Single(t => t.Name == buffer.Name);
            Assert.Equal("F32", entry.DType);
            Assert.Equal(new long[] { 3 }, entry.Shape);
            Assert.True(SameBits(buffer.Values, file.Values(entry)), buffer.Name);
        }
        long offset = 0;
        foreach (ParsedSafetensors.Tensor tensor in file.Tensors)
        {
            Assert.Equal(offset, tensor.Begin);
            offset = tensor.End;
        }
        Assert.Equal(file.Data.Length, offset);
    }

    [Fact]
    public void A_pytorch_state_dict_with_running_statistics_and_counters_loads_with_its_counter_at_an_unaligned_offset()
    {
        using FakeBatchNormNetwork source = Trained(seed: 3);
        byte[] bytes = ReferenceSafetensors.Build(StateDict(source));
        // Sorted by name, the counter follows bn1.bias (3 floats, 12 bytes): its 8 bytes start at an offset that is not a multiple of 8.
        ParsedSafetensors.Tensor counter = new ParsedSafetensors(bytes).Tensors.Single(t => t.Name == "bn1.num_batches_tracked");
        Assert.NotEqual(0, counter.Begin % 8);
        Assert.NotEqual(0, (8 + new ParsedSafetensors(bytes).HeaderLength + counter.Begin) % 8);
        string path = Write("pytorch.safetensors", bytes);

        using FakeBatchNormNetwork network = Trained(seed: 4);
        Checkpoint checkpoint = ModelFile.Load(path, network);

        Assert.Empty(checkpoint.Metadata);
        Assert.False(checkpoint.HasOptimizerState);
        foreach (var (expected, actual) in source.Parameters.Concat(source.Buffers).Zip(network.Parameters.Concat(network.Buffers)))
            Assert.True(SameBits(expected.Values, actual.Values), actual.Name);
        Assert.All(network.OptimizerState, t => Assert.All(t.Values, v => Assert.Equal(0f, v)));
        Assert.Equal(0, network.Step); // as a fresh optimizer's, whatever num_batches_tracked says
    }

    [Fact]
    public void A_counter_of_shape_one_loads()
    {
        using FakeBatchNormNetwork source = Trained();
        string path = Write("shape1.safetensors", ReferenceSafetensors.Build(StateDict(source,
            t => t.DType == "I64" ? RawTensor.Int64(t.Name, 5, new long[] { 1 }) : t)));

        using FakeBatchNormNetwork network = FakeBatchNormNetwork.Small(seed: 9);
        ModelFile.Load(path, network);

        Assert.True(SameBits(source.Buffers[1].Values, network.Buffers[1].Values));
    }

    [Fact]
    public void A_file_without_the_counters_loads()
    {
        using FakeBatchNormNetwork source = Trained();
        string path = Write("no-counter.safetensors", ReferenceSafetensors.Build(StateDict(source, t => t.DType == "I64" ? null : t)));

        using FakeBatchNormNetwork network = FakeBatchNormNetwork.Small(seed: 9);
        ModelFile.Load(path, network);

        Assert.True(SameBits(source.Buffers[0].Values, network.Buffers[0].Values));
        Assert.True(SameBits(source.Buffers[1].Values, network.Buffers[1].Values));
    }

    [Theory]
    [InlineData("bn1.running_mean")]
    [InlineData("bn1.running_var")]
    public void A_file_missing_a_buffer_is_refused_naming_it(string buffer)
    {
        using FakeBatchNormNetwork source = Trained();
        string path = Write("missing.safetensors", ReferenceSafetensors.Build(StateDict(source, t => t.Name == buffer ? null : t)));
        using FakeBatchNormNetwork network = FakeBatchNormNetwork.Small(seed: 9);
        var snapshot = new NetworkSnapshot(network);

        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path, network));

        Assert.Equal($"{path}: missing tensor {buffer} of network \"fakebn\"", ex.Message);
        snapshot.AssertUnchanged("refused file");
    }

    [Fact]
    public void A_buffer_of_another_shape_is_refused_naming_both_shapes()
    {
        using FakeBatchNormNetwork source = Trained();
        string path = Write("shape.safetensors", ReferenceSafetensors.Build(StateDict(source,
            t => t.Name == "bn1.running_var" ? t with { Shape = new long[] { 4 }, RowMajor = new float[] { 1, 1, 1, 1 } } : t)));

        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path, FakeBatchNormNetwork.Small()));

        AssertMessage(ex, path, "tensor bn1.running_var has shape [4] in the file but [3] in network \"fakebn\"");
    }

    private static RawTensor BadCounter(string what) => what switch
    {
        "F32 scalar" => new RawTensor("bn1.num_batches_tracked", Array.Empty<long>(), new[] { 1f }),
        "F32 of shape [2]" => new RawTensor("bn1.num_batches_tracked", new long[] { 2 }, new[] { 1f, 2f }),
        "I64 of shape [2]" => RawTensor.Int64("bn1.num_batches_tracked", 1, new long[] { 2 }) with { Bytes = new byte[16] },
        "I64 of shape [1, 1]" => RawTensor.Int64("bn1.num_batches_tracked", 1, new long[] { 1, 1 }),
        "I32" => new RawTensor("bn1.num_batches_tracked", Array.Empty<long>(), new[] { 0f }, "I32"),
        _ => throw new ArgumentOutOfRangeException(nameof(what)),
    };

    [Theory]
    [InlineData("F32 scalar",
        "tensor bn1.num_batches_tracked is F32 of shape [] in the file, but a batch counter (num_batches_tracked) of network \"fakebn\" is an I64 of shape []")]
    [InlineData("F32 of shape [2]", "tensor bn1.num_batches_tracked is F32 of shape [2] in the file")]
    [InlineData("I64 of shape [2]",
        "tensor \"bn1.num_batches_tracked\" has dtype \"I64\" and shape [2]; only F32 (32-bit float) is supported, and I64 only as a batch norm's num_batches_tracked, one value (shape [])")]
    [InlineData("I64 of shape [1, 1]", "tensor \"bn1.num_batches_tracked\" has dtype \"I64\" and shape [1, 1]")]
    [InlineData("I32", "tensor \"bn1.num_batches_tracked\" has dtype \"I32\"; only F32 (32-bit float) is supported")]
    public void A_counter_of_another_dtype_or_shape_is_refused(string what, string message)
    {
        using FakeBatchNormNetwork source = Trained();
        RawTensor counter = BadCounter(what);
        string path = Write("counter.safetensors", ReferenceSafetensors.Build(StateDict(source, t => t.DType == "I64" ? counter : t)));
        using FakeBatchNormNetwork network = FakeBatchNormNetwork.Small(seed: 9);
        var snapshot = new NetworkSnapshot(network);

        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path, network));

        AssertMessage(ex, path, message);
        snapshot.AssertUnchanged(what);
    }

    [Fact]
    public void An_I64_tensor_of_another_name_is_refused()
    {
        using FakeBatchNormNetwork source = Trained();
        string path = Write("labels.safetensors", ReferenceSafetensors.Build(StateDict(source).Append(RawTensor.Int64("labels", 7))));

        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path, FakeBatchNormNetwork.Small()));

        Assert.Equal($"{path}: tensor \"labels\" has dtype \"I64\"; only F32 (32-bit float) is supported, " +
            "and I64 only for the batch counters of network \"fakebn\" (bn1.num_batches_tracked, ...)", ex.Message);
    }

    [Fact]
    public void An_I64_scalar_in_a_file_for_a_network_without_batch_norm_is_refused_as_before()
    {
        using ITestNetwork tiny = NetworkTestKit.Create("tiny");
        string path = Write("tiny-counter.safetensors", ReferenceSafetensors.Build(
            ReferenceSafetensors.StateDict(tiny).Append(RawTensor.Int64("bn1.num_batches_tracked", 0))));

        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path, NetworkTestKit.Create("tiny")));

        Assert.Equal($"{path}: tensor \"bn1.num_batches_tracked\" has dtype \"I64\"; only F32 (32-bit float) is supported", ex.Message);
    }

    [Fact]
    public void The_pytorch_fixture_of_cnn_bn_loads_its_running_statistics()
    {
        string path = FixtureFile.PathOf("cnn_bn.initial.safetensors");
        var fixture = new FixtureFile(path);
        Assert.Equal(new long[] { 0 }, fixture.Longs("bn1.num_batches_tracked"));
        using FakeBatchNormNetwork network = FakeBatchNormNetwork.CnnBn(seed: 5);
        network.Step = 12;

        Checkpoint checkpoint = ModelFile.Load(path, network);

        Assert.Equal(fixture.Names.Count, network.Parameters.Count + network.Buffers.Count + network.BatchCounters.Count);
        foreach (NamedTensor tensor in network.Parameters.Concat(network.Buffers))
            Assert.True(SameBits(fixture.Floats(tensor.Name), ReferenceSafetensors.RowMajor(tensor)), tensor.Name);
        Assert.All(network.Buffers.Where(b => b.Name.EndsWith(".running_var", StringComparison.Ordinal)), b => Assert.All(b.Values, v => Assert.Equal(1f, v)));
        Assert.All(network.Buffers.Where(b => b.Name.EndsWith(".running_mean", StringComparison.Ordinal)), b => Assert.All(b.Values, v => Assert.Equal(0f, v)));
        Assert.Equal(0, network.Step);
        Assert.Equal("pt", checkpoint.Metadata["format"]);
    }

    [Fact]
    public void The_tensor_limit_counts_buffers_and_counters()
    {
        using FakeBatchNormNetwork network = Trained();
        int count = network.Parameters.Count + network.Buffers.Count + network.BatchCounters.Count + network.OptimizerState.Count;
        Assert.Equal(21, count);
        // A file may also hold early stopping's best copy of the parameters and buffers (best.NAME): 21 + 8 at most.
        int limit = count + network.Parameters.Count + network.Buffers.Count;
        Assert.Equal(29, limit);
        var (header, data) = Split(SavedBytes(network));
        string extras = string.Concat(Enumerable.Range(0, limit - count + 1).Select(i => $"\"extra{i}\":{{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}},"));
        byte[] file = Join(header.Replace("\"fc1.weight\":", extras + "\"fc1.weight\":"), data);

        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Load(new MemoryStream(file), FakeBatchNormNetwork.Small()));

        Assert.Equal("stream: the header lists more tensors than the 29 of network \"fakebn\" (its parameters, buffers, batch counters, optimizer state and a best copy of the parameters and buffers)", ex.Message);
    }

    [Fact]
    public void A_buffer_holding_NaN_is_neither_saved_nor_loaded()
    {
        using FakeBatchNormNetwork network = Trained();
        network.Buffers[1].Values[2] = float.NaN;
        string path = _folder.File("nan.safetensors");

        var save = Assert.Throws<ModelFormatException>(() => ModelFile.Save(path, network));
        AssertMessage(save, path, "not saved: tensor bn1.running_var holds NaN");
        Assert.False(File.Exists(path));

        string bad = Write("nan-in-file.safetensors", ReferenceSafetensors.Build(StateDict(network)));
        using FakeBatchNormNetwork target = FakeBatchNormNetwork.Small(seed: 9);
        var snapshot = new NetworkSnapshot(target);
        var load = Assert.Throws<ModelFormatException>(() => ModelFile.Load(bad, target));
        AssertMessage(load, bad, "tensor bn1.running_var holds NaN");
        snapshot.AssertUnchanged("NaN buffer");
    }

    [Fact]
    public void The_metadata_of_a_file_with_counters_reads_without_a_network()
    {
        using FakeBatchNormNetwork network = Trained();
        string path = Write("meta.safetensors", SavedBytes(network));

        Checkpoint checkpoint = ModelFile.ReadMetadata(path);

        Assert.Equal("fakebn", checkpoint.NetworkName);
        Assert.Equal(Step, checkpoint.Step);
    }

    [Fact]
    public void The_counter_is_written_little_endian_whatever_the_step()
    {
        using FakeBatchNormNetwork network = Trained();
        foreach (long step in new[] { 0L, 1L, 255L, long.MaxValue })
        {
            network.Step = step;
            var file = new ParsedSafetensors(SavedBytes(network));
            ParsedSafetensors.Tensor counter = file.Tensors.Single(t => t.DType == "I64");
            Assert.Equal(step, BinaryPrimitives.ReadInt64LittleEndian(file.Data.AsSpan((int)counter.Begin, 8)));
        }
    }

    [Fact]
    public void Buffers_and_counters_are_not_parameters()
    {
        // Default interface members: a network that does not implement them has none.
        using ITestNetwork tiny = NetworkTestKit.Create("tiny");
        Assert.Empty(((INetwork)tiny).Buffers);
        Assert.Empty(((INetwork)tiny).BatchCounters);
        using FakeBatchNormNetwork network = Trained();
        Assert.Equal(15 + 3 + 3 + 3 + 6 + 2, network.ParameterCount);
    }
}
