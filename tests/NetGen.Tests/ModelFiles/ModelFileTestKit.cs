using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests.ModelFiles;

/// <summary>A tensor as a safetensors file holds it: PyTorch shape and row-major values (or, for another dtype, its bytes).</summary>
internal sealed record RawTensor(string Name, long[] Shape, float[] RowMajor, string DType = "F32", byte[]? Bytes = null)
{
    /// <summary>An I64 tensor of one value, shape [] by default (PyTorch's <c>num_batches_tracked</c>), 8 bytes little-endian.</summary>
    public static RawTensor Int64(string name, long value, long[]? shape = null)
    {
        var bytes = new byte[8];
        for (int i = 0; i < 8; i++) bytes[i] = (byte)(value >> (8 * i));
        return new RawTensor(name, shape ?? Array.Empty<long>(), Array.Empty<float>(), "I64", bytes);
    }

    public long ByteCount => Bytes?.Length ?? 4L * RowMajor.Length;
}

/// <summary>
/// A safetensors writer written from the format's description, independently of <see cref="ModelFile"/>: the JSON is
/// put together by hand, the numbers are written byte by byte, and, like the reference implementation behind
/// <c>safetensors.torch.save_file</c>, the tensors are sorted by name and the header is padded with spaces to 8 bytes.
/// </summary>
internal static class ReferenceSafetensors
{
    public static byte[] Build(IEnumerable<RawTensor> tensors, IReadOnlyList<KeyValuePair<string, string>>? metadata = null)
    {
        List<RawTensor> sorted = tensors.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        var json = new StringBuilder("{");
        if (metadata is not null)
        {
            json.Append("\"__metadata__\":{");
            json.Append(string.Join(",", metadata.Select(m => $"\"{m.Key}\":\"{m.Value}\"")));
            json.Append('}');
            if (sorted.Count > 0) json.Append(',');
        }
        long offset = 0;
        var parts = new List<string>();
        foreach (RawTensor t in sorted)
        {
            long bytes = t.ByteCount;
            parts.Add($"\"{t.Name}\":{{\"dtype\":\"{t.DType}\",\"shape\":[{string.Join(",", t.Shape)}],\"data_offsets\":[{offset},{offset + bytes}]}}");
            offset += bytes;
        }
        json.Append(string.Join(",", parts)).Append('}');
        while (json.Length % 8 != 0) json.Append(' ');
        byte[] header = Encoding.ASCII.GetBytes(json.ToString());

        var file = new List<byte>();
        ulong length = (ulong)header.Length;
        for (int i = 0; i < 8; i++) file.Add((byte)(length >> (8 * i)));
        file.AddRange(header);
        foreach (RawTensor t in sorted)
        {
            if (t.Bytes is not null)
            {
                file.AddRange(t.Bytes);
                continue;
            }
            foreach (float v in t.RowMajor)
            {
                int bits = BitConverter.SingleToInt32Bits(v);
                for (int i = 0; i < 4; i++) file.Add((byte)(bits >> (8 * i)));
            }
        }
        return file.ToArray();
    }

    /// <summary>
    /// The parameters and buffers of <paramref name="network"/> as a PyTorch <c>state_dict</c> would hold them, read through
    /// the documented indexer, with its batch counters (I64 scalars of value <see cref="INetwork.Step"/>).
    /// </summary>
    public static List<RawTensor> StateDict(INetwork network) =>
        network.Parameters.Concat(network.Buffers).Select(p => new RawTensor(p.Name, p.Shape.Select(d => (long)d).ToArray(), RowMajor(p)))
            .Concat(network.BatchCounters.Select(c => RawTensor.Int64(c, network.Step)))
            .ToList();

    public static float[] RowMajor(NamedTensor tensor)
    {
        if (tensor.Shape.Length != 2) return tensor.Values.ToArray();
        int rows = tensor.Shape[0], columns = tensor.Shape[1];
        var values = new float[rows * columns];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++) values[r * columns + c] = tensor[r, c];
        return values;
    }
}

/// <summary>A safetensors file taken apart by the tests, independently of the reader under test.</summary>
internal sealed class ParsedSafetensors
{
    public ParsedSafetensors(byte[] file)
    {
        HeaderLength = (long)BitConverter.ToUInt64(file, 0);
        HeaderText = Encoding.UTF8.GetString(file, 8, (int)HeaderLength);
        Data = file.AsSpan(8 + (int)HeaderLength).ToArray();
        using JsonDocument document = JsonDocument.Parse(HeaderText);
        foreach (JsonProperty property in document.RootElement.EnumerateObject())
        {
            Keys.Add(property.Name);
            if (property.Name == "__metadata__")
            {
                foreach (JsonProperty m in property.Value.EnumerateObject()) Metadata.Add(m.Name, m.Value.GetString()!);
                continue;
            }
            long[] offsets = property.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            Tensors.Add(new Tensor(
                property.Name,
                property.Value.GetProperty("dtype").GetString()!,
                property.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray(),
                offsets[0], offsets[1]));
        }
    }

    public sealed record Tensor(string Name, string DType, long[] Shape, long Begin, long End);

    public long HeaderLength { get; }

    public string HeaderText { get; }

    public byte[] Data { get; }

    /// <summary>The header's keys in order, <c>__metadata__</c> included.</summary>
    public List<string> Keys { get; } = new();

    public Dictionary<string, string> Metadata { get; } = new();

    public List<Tensor> Tensors { get; } = new();

    public float[] Values(Tensor tensor)
    {
        var values = new float[(tensor.End - tensor.Begin) / 4];
        for (int i = 0; i < values.Length; i++) values[i] = BitConverter.ToSingle(Data, (int)tensor.Begin + 4 * i);
        return values;
    }
}

/// <summary>A copy of everything loading may change in a network, to check that a refused file changed nothing.</summary>
internal sealed class NetworkSnapshot
{
    private readonly INetwork _network;
    private readonly List<float[]> _values;
    private readonly long _step;
    private readonly ulong[]? _dropout;

    public NetworkSnapshot(INetwork network)
    {
        _network = network;
        _values = network.Parameters.Concat(network.Buffers).Concat(network.OptimizerState).Select(t => t.Values.ToArray()).ToList();
        _step = network.Step;
        _dropout = network.DropoutRandom?.GetState();
    }

    public bool Unchanged()
    {
        var tensors = _network.Parameters.Concat(_network.Buffers).Concat(_network.OptimizerState).ToList();
        for (int i = 0; i < tensors.Count; i++)
        {
            if (!ModelFileTestKit.SameBits(_values[i], tensors[i].Values)) return false;
        }
        return _network.Step == _step && (_dropout is null || _dropout.SequenceEqual(_network.DropoutRandom!.GetState()));
    }

    public void AssertUnchanged(string what) => Assert.True(Unchanged(), $"{what}: the network was changed");
}

internal static class ModelFileTestKit
{
    public static bool SameBits(float[] a, float[] b) =>
        a.Length == b.Length && a.Select(BitConverter.SingleToInt32Bits).SequenceEqual(b.Select(BitConverter.SingleToInt32Bits));

    /// <summary>Every parameter, buffer and optimizer state tensor, the step count and the dropout state are bit for bit the same.</summary>
    public static void AssertSameState(INetwork expected, INetwork actual, string when)
    {
        var e = expected.Parameters.Concat(expected.Buffers).Concat(expected.OptimizerState).ToList();
        var a = actual.Parameters.Concat(actual.Buffers).Concat(actual.OptimizerState).ToList();
        Assert.Equal(e.Select(t => t.Name), a.Select(t => t.Name));
        for (int i = 0; i < e.Count; i++)
        {
            int differ = e[i].Values.Zip(a[i].Values).Count(p => BitConverter.SingleToInt32Bits(p.First) != BitConverter.SingleToInt32Bits(p.Second));
            Assert.True(differ == 0, $"{when}: {differ} of {e[i].Values.Length} values of {e[i].Name} differ");
        }
        Assert.Equal(expected.Step, actual.Step);
        Assert.Equal(expected.DropoutRandom?.GetState(), actual.DropoutRandom?.GetState());
    }

    /// <summary>Some training steps on random data, so that the weights, optimizer state, step and dropout state are no longer the initial ones.</summary>
    public static void TrainSomeSteps(INetwork network, int steps, int seed = 1)
    {
        int rows = Math.Min(network.MaxBatchSize, 4);
        for (int s = 0; s < steps; s++)
        {
            float[] inputs = NetworkTestKit.RandomInputs(seed * 1000 + s, rows, network.InputSize);
            network.TrainStep(inputs, NetworkTestKit.RandomLabels(seed * 1000 + s, rows, network));
        }
    }

    /// <summary>A labelled set of <paramref name="count"/> random 1 x InputSize "images", labels a simple function of the pixels (so there is something to learn).</summary>
    public static ImageDataset SyntheticData(INetwork network, int count, int seed = 5)
    {
        var random = new Random(seed);
        var pixels = new byte[count * network.InputSize];
        random.NextBytes(pixels);
        int classes = Math.Min(network.ClassCount, 256);
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            int sum = 0;
            for (int p = 0; p < network.InputSize; p++) sum += pixels[i * network.InputSize + p] * (p + 1);
            labels[i] = (byte)(sum % classes);
        }
        return new ImageDataset(pixels, labels, 1, network.InputSize, classes);
    }

    /// <summary>The header text and the data of a file, to edit the header and put it back together.</summary>
    public static (string Header, byte[] Data) Split(byte[] file)
    {
        int length = (int)BitConverter.ToUInt64(file, 0);
        return (Encoding.UTF8.GetString(file, 8, length), file.AsSpan(8 + length).ToArray());
    }

    /// <summary>A file from a header text and data, with the header length field set to the header's byte count.</summary>
    public static byte[] Join(string header, byte[] data) => Join(Encoding.UTF8.GetBytes(header), data);

    public static byte[] Join(byte[] header, byte[] data)
    {
        var file = new byte[8 + header.Length + data.Length];
        BitConverter.TryWriteBytes(file.AsSpan(0, 8), (ulong)header.Length);
        header.CopyTo(file, 8);
        data.CopyTo(file, 8 + header.Length);
        return file;
    }

    /// <summary>The bytes of a file saved by <see cref="ModelFile.Save"/>.</summary>
    public static byte[] SavedBytes(INetwork network, TrainingPosition? position = null)
    {
        string path = Path.Combine(Path.GetTempPath(), "netgen-model-" + Guid.NewGuid().ToString("N") + ".safetensors");
        try
        {
            ModelFile.Save(path, network, position);
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>A ModelFormatException's message: one line, starting with the file's name.</summary>
    public static void AssertMessage(ModelFormatException exception, string file, params string[] fragments)
    {
        Assert.DoesNotContain('\n', exception.Message);
        Assert.DoesNotContain('\r', exception.Message);
        Assert.StartsWith(file + ": ", exception.Message);
        foreach (string fragment in fragments) Assert.Contains(fragment, exception.Message);
    }
}
