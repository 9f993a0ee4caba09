using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using NetGen.Tests.Data;
using NetGen.Tests.Networks;
using Xunit;
using static NetGen.Tests.ModelFiles.ModelFileTestKit;

namespace NetGen.Tests.ModelFiles;

/// <summary>
/// Each kind of broken file is refused with a <see cref="ModelFormatException"/> whose one-line message names the file
/// and the problem, and the network is left exactly as it was.
/// </summary>
public class ModelFileValidationTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>The file every case edits: "tiny" after two steps, saved at epoch 1, step 4.</summary>
    private static byte[] BaseFile()
    {
        using ITestNetwork network = NetworkTestKit.Create("tiny", seed: 3);
        TrainSomeSteps(network, steps: 2);
        return SavedBytes(network, new TrainingPosition(1, 4, TrainingPosition.Start(3).ShuffleState) { BatchSize = 8 });
    }

    private static readonly Lazy<byte[]> Base = new(BaseFile);

    /// <summary>Replaces the first <paramref name="old"/> of the header (which must be there) and fixes the length field.</summary>
    private static byte[] EditHeader(byte[] file, string old, string replacement)
    {
        var (header, data) = Split(file);
        int at = header.IndexOf(old, StringComparison.Ordinal);
        Assert.True(at >= 0, $"the header has no {old}");
        return Join(header[..at] + replacement + header[(at + old.Length)..], data);
    }

    private static byte[] WithLengthField(byte[] file, ulong length)
    {
        byte[] copy = file.ToArray();
        BitConverter.TryWriteBytes(copy.AsSpan(0, 8), length);
        return copy;
    }

    private static byte[] WithData(byte[] file, Action<byte[]> edit)
    {
        var (header, data) = Split(file);
        edit(data);
        return Join(header, data);
    }

    private static string Offsets(byte[] file, string tensor)
    {
        ParsedSafetensors.Tensor t = new ParsedSafetensors(file).Tensors.Single(t => t.Name == tensor);
        return $"\"data_offsets\":[{t.Begin},{t.End}]";
    }

    private static string Metadata(byte[] file, string key) => $"\"{key}\":\"{new ParsedSafetensors(file).Metadata[key]}\"";

    private static string Entry(byte[] file, string tensor)
    {
        string header = Split(file).Header;
        int start = header.IndexOf($"\"{tensor}\":{{", StringComparison.Ordinal);
        int end = header.IndexOf('}', start);
        return header[start..(end + 1)];
    }

    /// <summary>Name → (the broken file made from the base file, what the message must say).</summary>
    private static readonly Dictionary<string, (Func<byte[], byte[]> Make, string[] Says)> Cases = new()
    {
        ["empty file"] = (_ => Array.Empty<byte>(), new[] { "empty file" }),
        ["shorter than the length field"] = (f => f[..5], new[] { "too short for a safetensors file: 5 bytes" }),
        ["header length past the end"] = (f => WithLengthField(f, (ulong)f.Length), new[] { $"the header length field says", "bytes follow it" }),
        ["header length over 100 MB"] = (f => WithLengthField(f, 200_000_000), new[] { "200000000 bytes, more than the limit of 100000000 bytes" }),
        ["header length huge"] = (f => WithLengthField(f, ulong.MaxValue), new[] { "more than the limit" }),
        ["header length 0"] = (f => WithLengthField(f, 0), new[] { "the header is empty" }),
        ["header length cuts the JSON"] = (f => WithLengthField(f, 20), new[] { "the header is not valid JSON" }),
        ["not a JSON object"] = (f => Join("[1]     ", Split(f).Data), new[] { "does not start with '{' but with byte 0x5b" }),
        ["JSON syntax"] = (f => EditHeader(f, "\"__metadata__\":", "\"__metadata__\""), new[] { "the header is not valid JSON: " }),
        ["text after the JSON"] = (f => EditHeader(f, "}}", "}}x"), new[] { "the header is not valid JSON" }),
        ["invalid UTF-8"] = (f =>
        {
            byte[] copy = f.ToArray();
            int at = Encoding.ASCII.GetString(copy).IndexOf("\"tiny\"", StringComparison.Ordinal);
            copy[at + 1] = 0xff;
            return copy;
        }, new[] { "the header is not valid UTF-8" }),
        ["lone surrogate"] = (f => EditHeader(f, "\"network\":\"tiny\"", "\"network\":\"\\ud800\""), new[] { "the header" }),
        ["duplicate tensor"] = (f => EditHeader(f, "\"fc1.bias\":", Entry(f, "fc1.bias") + ",\"fc1.bias\":"), new[] { "the header lists \"fc1.bias\" twice" }),
        ["duplicate metadata"] = (f => EditHeader(f, "\"seed\":\"3\"", "\"seed\":\"3\",\"seed\":\"3\""), new[] { "metadata \"seed\" is listed twice" }),
        ["metadata not an object"] = (f => EditHeader(f, "\"__metadata__\":{\"format\":\"pt\",", "\"__metadata__\":[],\"x\":{\"format\":\"pt\","), new[] { "__metadata__ is a JSON array, not an object" }),
        ["metadata value a number"] = (f => EditHeader(f, "\"seed\":\"3\"", "\"seed\":3"), new[] { "metadata \"seed\" is a JSON number; safetensors metadata values must be strings" }),
        ["metadata value an object"] = (f => EditHeader(f, "\"seed\":\"3\"", "\"seed\":{\"a\":\"b\"}"), new[] { "metadata \"seed\" is a JSON object" }),
        ["tensor not an object"] = (f => EditHeader(f, Entry(f, "fc1.bias"), "\"fc1.bias\":[7]"), new[] { "tensor \"fc1.bias\" is described by a JSON array" }),
        ["unknown field"] = (f => EditHeader(f, "\"dtype\":\"F32\",", "\"dtype\":\"F32\",\"extra\":1,"), new[] { "tensor \"fc1.weight\" has an unknown field \"extra\"" }),
        ["missing dtype"] = (f => EditHeader(f, "\"dtype\":\"F32\",", ""), new[] { "tensor \"fc1.weight\" has no dtype" }),
        ["missing offsets"] = (f => EditHeader(f, "," + Offsets(f, "fc1.weight"), ""), new[] { "tensor \"fc1.weight\" has no data_offsets" }),
        ["dtype F16"] = (f => EditHeader(f, "\"F32\"", "\"F16\""), new[] { "tensor \"fc1.weight\" has dtype \"F16\"; only F32 (32-bit float) is supported" }),
        ["dtype not a string"] = (f => EditHeader(f, "\"F32\"", "32"), new[] { "dtype is a JSON number, not a string" }),
        ["fractional dimension"] = (f => EditHeader(f, "\"shape\":[7,5]", "\"shape\":[7,5.5]"), new[] { "shape holds \"5.5\", not a whole number" }),
        ["negative dimension"] = (f => EditHeader(f, "\"shape\":[7,5]", "\"shape\":[-7,5]"), new[] { "shape holds \"-7\"" }),
        ["dimension beyond 64 bits"] = (f => EditHeader(f, "\"shape\":[7,5]", "\"shape\":[99999999999999999999,5]"), new[] { "not a whole number" }),
        ["shape too large"] = (f => EditHeader(f, "\"shape\":[7,5]", "\"shape\":[9223372036854775807,5]"), new[] { "is too large" }),
        ["shape not an array"] = (f => EditHeader(f, "\"shape\":[7,5]", "\"shape\":\"7x5\""), new[] { "shape is a JSON string, not an array" }),
        ["three offsets"] = (f => EditHeader(f, Offsets(f, "fc1.weight"), "\"data_offsets\":[0,140,280]"), new[] { "data_offsets has 3 numbers; it must be [begin, end]" }),
        ["negative offset"] = (f => EditHeader(f, Offsets(f, "fc1.weight"), "\"data_offsets\":[-4,136]"), new[] { "data_offsets holds \"-4\"" }),
        ["offsets reversed"] = (f => EditHeader(f, Offsets(f, "fc1.weight"), "\"data_offsets\":[140,0]"), new[] { "data_offsets [140, 0] end before they begin" }),
        ["offsets past the data"] = (f => EditHeader(f, Offsets(f, "fc1.weight"), "\"data_offsets\":[0,1000000]"), new[] { "data_offsets [0, 1000000] run past the end of the data" }),
        ["offsets not matching the shape"] = (f => EditHeader(f, Offsets(f, "fc1.weight"), "\"data_offsets\":[0,136]"),
            new[] { "tensor \"fc1.weight\": shape [7, 5] holds 35 F32 values (140 bytes) but data_offsets [0, 136] span 136 bytes" }),
        ["overlapping tensors"] = (f => EditHeader(f, Offsets(f, "fc1.weight.exp_avg"), "\"data_offsets\":[0,140]"), new[] { "[0, 140] overlap in the data" }),
        ["bytes of no tensor in the middle"] = (f => EditHeader(f, "," + Entry(f, "fc1.bias"), ""), new[] { "bytes 140 to 168 of the data belong to no tensor" }),
        ["bytes after the last tensor"] = (f => f.Concat(new byte[4]).ToArray(), new[] { "the last 4 bytes of the data", "belong to no tensor" }),
        ["truncated data"] = (f => f[..^4], new[] { "run past the end of the data" }),
        ["one tensor too many"] = (f => EditHeader(f, "\"fc1.weight\":", "\"extra\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]},\"fc1.weight\":"),
            new[] { "unexpected tensor \"extra\": network \"tiny\" has no such tensor" }),
        ["renamed tensor"] = (f => EditHeader(f, "\"fc1.bias\":", "\"fc9.bias\":"), new[] { "missing tensor fc1.bias of network \"tiny\" (and 1 more difference)" }),
        ["renamed state tensor"] = (f => EditHeader(f, "\"fc1.bias.exp_avg\":", "\"fc1.bias.exp_avg_sq_2\":"),
            new[] { "missing tensor fc1.bias.exp_avg (the file has only part of the optimizer state) (and 1 more difference)" }),
        ["epoch not a number"] = (f => EditHeader(f, Metadata(f, "epoch"), "\"epoch\":\"one\""), new[] { "metadata epoch is \"one\", not a whole number from 1 to 2147483647" }),
        ["epoch 0"] = (f => EditHeader(f, Metadata(f, "epoch"), "\"epoch\":\"0\""), new[] { "metadata epoch is \"0\"" }),
        ["epoch with spaces"] = (f => EditHeader(f, Metadata(f, "epoch"), "\"epoch\":\" 1\""), new[] { "metadata epoch is \" 1\"" }),
        ["negative optimizer step"] = (f => EditHeader(f, Metadata(f, "optimizer_step"), "\"optimizer_step\":\"-2\""), new[] { "metadata optimizer_step is \"-2\"" }),
        ["seed not a number"] = (f => EditHeader(f, Metadata(f, "seed"), "\"seed\":\"3x\""), new[] { "metadata seed is \"3x\", not a whole number" }),
        ["learning rate NaN"] = (f => EditHeader(f, Metadata(f, "learning_rate"), "\"learning_rate\":\"NaN\""), new[] { "metadata learning_rate is \"NaN\"" }),
        ["threads 0"] = (f => EditHeader(f, Metadata(f, "threads"), "\"threads\":\"0\""), new[] { "metadata threads is \"0\"" }),
        ["shuffle state of three words"] = (f => EditHeader(f, Metadata(f, "shuffle_state"), "\"shuffle_state\":\"1,2,3\""), new[] { "metadata shuffle_state is \"1,2,3\", not a random state" }),
        ["shuffle state all zero"] = (f => EditHeader(f, Metadata(f, "shuffle_state"), "\"shuffle_state\":\"0,0,0,0\""), new[] { "not a random state" }),
        ["shuffle state not hex"] = (f => EditHeader(f, Metadata(f, "shuffle_state"), "\"shuffle_state\":\"1,2,3,xyz\""), new[] { "not a random state" }),
        ["batch size 0"] = (f => EditHeader(f, Metadata(f, "batch_size"), "\"batch_size\":\"0\""), new[] { "metadata batch_size is \"0\", not a whole number from 1 to 2147483647" }),
        ["batch size without a position"] = (f =>
        {
            foreach (string key in new[] { "epoch", "step_in_epoch" }) f = EditHeader(f, Metadata(f, key) + ",", "");
            return EditHeader(f, "," + Metadata(f, "shuffle_state"), "");
        }, new[] { "the metadata has a batch_size but no training position (epoch, step_in_epoch and shuffle_state)" }),
        ["part of the position"] = (f => EditHeader(f, Metadata(f, "step_in_epoch") + ",", ""), new[] { "only part of the training position" }),
        ["dropout state without dropout"] = (f => EditHeader(f, "\"format\":\"pt\"", "\"format\":\"pt\",\"dropout_state\":\"1,2,3,4\""),
            new[] { "the metadata has a dropout random state but network \"tiny\" has no dropout" }),
        ["optimizer state without a step"] = (f => EditHeader(f, Metadata(f, "optimizer_step") + ",", ""), new[] { "the file has the optimizer state but no optimizer_step" }),
        ["NaN weight"] = (f => WithData(f, d => BitConverter.TryWriteBytes(d.AsSpan(4 * 6, 4), float.NaN)), new[] { "tensor fc1.weight holds NaN at [1, 1]; the file is not usable" }),
        ["infinite optimizer state"] = (f =>
        {
            ParsedSafetensors.Tensor t = new ParsedSafetensors(f).Tensors.Single(t => t.Name == "fc3.bias.exp_avg_sq");
            return WithData(f, d => BitConverter.TryWriteBytes(d.AsSpan((int)t.Begin + 8, 4), float.NegativeInfinity));
        }, new[] { "tensor fc3.bias.exp_avg_sq holds -infinity at [2]" }),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Broken_file_is_refused_with_a_one_line_message_and_the_network_unchanged(string name)
    {
        var (make, says) = Cases[name];
        string path = _folder.File("broken.safetensors");
        File.WriteAllBytes(path, make(Base.Value));
        using ITestNetwork network = NetworkTestKit.Create("tiny", seed: 8);
        TrainSomeSteps(network, steps: 1);
        var snapshot = new NetworkSnapshot(network);

        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path, network));

        AssertMessage(ex, path, says);
        snapshot.AssertUnchanged(name);
    }

    /// <summary>The cases only a network can tell: the header itself is well formed.</summary>
    private static readonly string[] FitsNoNetwork =
    [
        "one tensor too many", "renamed tensor", "renamed state tensor", "dropout state without dropout", "optimizer state without a step",
        "NaN weight", "infinite optimizer state",
    ];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Reading_the_metadata_refuses_a_broken_header_as_a_load_does(string name)
    {
        var (make, _) = Cases[name];
        string path = _folder.File("broken.safetensors");
        File.WriteAllBytes(path, make(Base.Value));
        var load = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path, NetworkTestKit.Create("tiny")));

        if (FitsNoNetwork.Contains(name))
        {
            Assert.Equal("tiny", ModelFile.ReadMetadata(path).NetworkName);
            return;
        }
        var read = Assert.Throws<ModelFormatException>(() => ModelFile.ReadMetadata(path));
        Assert.Equal(load.Message, read.Message);
        read = Assert.Throws<ModelFormatException>(() => ModelFile.ReadMetadata(new MemoryStream(make(Base.Value))));
        Assert.Equal(load.Message.Replace(path, "stream"), read.Message);
    }

    [Fact]
    public void The_unedited_base_file_loads()
    {
        string path = _folder.File("good.safetensors");
        File.WriteAllBytes(path, Base.Value);
        Checkpoint checkpoint = ModelFile.Load(path, NetworkTestKit.Create("tiny"));
        Assert.Equal(4, checkpoint.Position!.StepInEpoch);
    }

    [Fact]
    public void A_step_count_without_the_optimizer_state_is_refused()
    {
        using ITestNetwork source = NetworkTestKit.Create("tiny");
        string path = _folder.File("step-only.safetensors");
        File.WriteAllBytes(path, ReferenceSafetensors.Build(ReferenceSafetensors.StateDict(source),
            new[] { new KeyValuePair<string, string>("optimizer_step", "10") }));

        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path, NetworkTestKit.Create("tiny")));

        AssertMessage(ex, path, "missing tensor fc1.weight.exp_avg: the metadata has an optimizer step");
    }

    [Fact]
    public void A_missing_file_is_refused_with_a_clear_message()
    {
        string path = _folder.File("nothing-here.safetensors");
        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path, NetworkTestKit.Create("tiny")));
        AssertMessage(ex, path, "file not found");

        string inMissingFolder = Path.Combine(_folder.Path, "no-such-folder", "model.safetensors");
        ex = Assert.Throws<ModelFormatException>(() => ModelFile.Load(inMissingFolder, NetworkTestKit.Create("tiny")));
        AssertMessage(ex, inMissingFolder, "file not found");
    }

    [Fact]
    public void A_folder_is_refused_with_a_clear_message()
    {
        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Load(_folder.Path, NetworkTestKit.Create("tiny")));
        AssertMessage(ex, _folder.Path, "is a folder, not a file");
    }

    [Fact]
    public void An_unreadable_file_is_refused_with_a_clear_message()
    {
        if (OperatingSystem.IsWindows() || Environment.UserName == "root") return; // root reads any file; Windows has no chmod
        string path = _folder.File("locked.safetensors");
        File.WriteAllBytes(path, Base.Value);
        File.SetUnixFileMode(path, UnixFileMode.None);
        try
        {
            if (CanRead(path)) return; // some file systems ignore the mode
            var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path, NetworkTestKit.Create("tiny")));
            AssertMessage(ex, path, "cannot open: ");
        }
        finally
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static bool CanRead(string path)
    {
        try
        {
            using var _ = File.OpenRead(path);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
