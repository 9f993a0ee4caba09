using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.IO;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace NetGen;

/// <summary>
/// Writes a network as safetensors: an 8-byte little-endian header length, the JSON header (padded with spaces so
/// that the data starts at a multiple of 8 bytes), then every tensor's values, little-endian, row-major in
/// PyTorch's orientation, one after the other in the header's order: F32 for the network's tensors, I64 for the
/// batch counters (<see cref="INetwork.BatchCounters"/>).
/// </summary>
internal static class SafetensorsWriter
{
    /// <summary>
    /// The tensors of a file in their order: the parameters, the buffers, the batch counters (each holding the network's
    /// <see cref="INetwork.Step"/>), then the optimizer state and the position's best weights, each in the network's order.
    /// With <paramref name="stateDictOnly"/>, only the first three: a PyTorch module's <c>state_dict</c>.
    /// </summary>
    public static List<SavedTensor> Tensors(INetwork network, TrainingPosition? position, bool stateDictOnly = false)
    {
        IReadOnlyList<NamedTensor> buffers = network.Buffers;
        IReadOnlyList<string> counters = network.BatchCounters;
        var tensors = new List<SavedTensor>(network.Parameters.Count + buffers.Count + counters.Count + network.OptimizerState.Count);
        foreach (NamedTensor tensor in network.Parameters) tensors.Add(new SavedTensor(tensor));
        foreach (NamedTensor tensor in buffers) tensors.Add(new SavedTensor(tensor));
        long step = network.Step;
        foreach (string counter in counters) tensors.Add(SavedTensor.Counter(counter, step));
        if (stateDictOnly) return tensors;
        foreach (NamedTensor tensor in network.OptimizerState) tensors.Add(new SavedTensor(tensor));
        // Early stopping's best weights so far (a checkpoint to resume from): best.NAME, shaped and laid out as NAME.
        if (position?.BestWeights is { } best)
        {
            int i = 0;
            foreach (NamedTensor tensor in Kept(network)) tensors.Add(new SavedTensor(new NamedTensor(BestPrefix + tensor.Name, tensor.Shape, best[i++], null, tensor.Layout)));
        }
        return tensors;
    }

    /// <summary>The prefix of the tensors that hold early stopping's best weights so far.</summary>
    public const string BestPrefix = "best.";

    /// <summary>The tensors a best-weights copy covers: the parameters, then the buffers.</summary>
    public static IEnumerable<NamedTensor> Kept(INetwork network) => network.Parameters.Concat(network.Buffers);

    /// <summary>The first value of <paramref name="tensors"/> that is NaN or infinite, as a description, or null if all are finite.</summary>
    public static string? FindNonFinite(List<SavedTensor> tensors)
    {
        foreach (SavedTensor saved in tensors)
        {
            if (saved.Floats is { } tensor && FindNonFinite(tensor) is { } bad) return bad;
        }
        return null;
    }

    /// <summary>The first value of <paramref name="tensor"/> that is NaN or infinite, as a description, or null if all are finite.</summary>
    public static string? FindNonFinite(NamedTensor tensor)
    {
        float[] values = tensor.Values;
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i])) return $"tensor {tensor.Name} holds {Describe(values[i])} at {TensorLayout.Describe(tensor.Shape, tensor.Layout.PositionOf(i))}";
        }
        return null;
    }

    /// <summary>The header: metadata first (in <see cref="ModelMetadata.Describe"/>'s order), then the tensors in order, padded to 8 bytes.</summary>
    public static byte[] Header(List<SavedTensor> tensors, List<KeyValuePair<string, string>> metadata)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        // Relaxed escaping keeps the header readable with `head -c`; it is still plain JSON (only HTML would mind).
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartObject("__metadata__");
            foreach (var (key, value) in metadata) json.WriteString(key, value);
            json.WriteEndObject();
            long offset = 0;
            foreach (SavedTensor tensor in tensors)
            {
                long bytes = tensor.ByteCount;
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", tensor.DType);
                json.WriteStartArray("shape");
                foreach (int d in tensor.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }
            json.WriteEndObject();
        }
        int padded = (buffer.WrittenCount + 7) / 8 * 8;
        byte[] header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    /// <summary>Writes the whole file to <paramref name="output"/>.</summary>
    public static void Write(Stream output, byte[] header, List<SavedTensor> tensors)
    {
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        output.Write(length);
        output.Write(header);
        int largest = 0;
        foreach (SavedTensor tensor in tensors) largest = Math.Max(largest, tensor.Floats?.Values.Length ?? 0);
        float[] scratch = ArrayPool<float>.Shared.Rent(largest);
        try
        {
            foreach (SavedTensor saved in tensors)
            {
                if (saved.Floats is not { } tensor)
                {
                    BinaryPrimitives.WriteInt64LittleEndian(length, saved.CounterValue); // the 8 bytes of the length field, reused
                    output.Write(length);
                    continue;
                }
                Span<float> rowMajor = scratch.AsSpan(0, tensor.Values.Length);
                tensor.Layout.ToRowMajor(tensor.Values, rowMajor);
                if (!BitConverter.IsLittleEndian)
                {
                    Span<int> bits = MemoryMarshal.Cast<float, int>(rowMajor);
                    BinaryPrimitives.ReverseEndianness(bits, bits);
                }
                output.Write(MemoryMarshal.AsBytes(rowMajor));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>NaN, +infinity or -infinity.</summary>
    internal static string Describe(float value) => float.IsNaN(value) ? "NaN" : value > 0 ? "+infinity" : "-infinity";
}

/// <summary>One tensor as <see cref="SafetensorsWriter"/> writes it: a network tensor's F32 values, or a batch counter (an I64 scalar).</summary>
internal readonly struct SavedTensor
{
    /// <summary>A network tensor (parameter, buffer or optimizer state), written as F32.</summary>
    public SavedTensor(NamedTensor tensor)
    {
        Name = tensor.Name;
        Floats = tensor;
        CounterValue = 0;
    }

    private SavedTensor(string name, long value)
    {
        Name = name;
        Floats = null;
        CounterValue = value;
    }

    /// <summary>A batch counter (<c>num_batches_tracked</c>): an I64 of shape <c>[]</c> holding <paramref name="value"/>.</summary>
    public static SavedTensor Counter(string name, long value) => new(name, value);

    /// <summary>Its name in the file.</summary>
    public string Name { get; }

    /// <summary>The network tensor, or null for a batch counter.</summary>
    public NamedTensor? Floats { get; }

    /// <summary>A batch counter's value (0 for a network tensor).</summary>
    public long CounterValue { get; }

    /// <summary><c>F32</c>, or <c>I64</c> for a batch counter.</summary>
    public string DType => Floats is null ? "I64" : "F32";

    /// <summary>Its shape in the file (<c>[]</c> for a batch counter).</summary>
    public int[] Shape => Floats?.Shape ?? Array.Empty<int>();

    /// <summary>The bytes of its data.</summary>
    public long ByteCount => Floats is null ? sizeof(long) : (long)Floats.Values.Length * sizeof(float);
}
