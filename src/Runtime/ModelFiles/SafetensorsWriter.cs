using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace NetGen;

/// <summary>
/// Writes a network as safetensors: an 8-byte little-endian header length, the JSON header (padded with spaces so
/// that the data starts at a multiple of 8 bytes), then every tensor's F32 values, little-endian, row-major in
/// PyTorch's orientation, one after the other in the header's order.
/// </summary>
internal static class SafetensorsWriter
{
    /// <summary>The tensors of a file in their order: the parameters, then the optimizer state, each in the network's order.</summary>
    public static List<NamedTensor> Tensors(INetwork network)
    {
        var tensors = new List<NamedTensor>(network.Parameters.Count + network.OptimizerState.Count);
        tensors.AddRange(network.Parameters);
        tensors.AddRange(network.OptimizerState);
        return tensors;
    }

    /// <summary>The first value of <paramref name="tensors"/> that is NaN or infinite, as a description, or null if all are finite.</summary>
    public static string? FindNonFinite(List<NamedTensor> tensors)
    {
        foreach (NamedTensor tensor in tensors)
        {
            float[] values = tensor.Values;
            for (int i = 0; i < values.Length; i++)
            {
                if (!float.IsFinite(values[i])) return $"tensor {tensor.Name} holds {Describe(values[i])} at {TensorLayout.Describe(tensor.Shape, tensor.Layout.PositionOf(i))}";
            }
        }
        return null;
    }

    /// <summary>The header: metadata first (in <see cref="ModelMetadata.Describe"/>'s order), then the tensors in order, padded to 8 bytes.</summary>
    public static byte[] Header(List<NamedTensor> tensors, List<KeyValuePair<string, string>> metadata)
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
            foreach (NamedTensor tensor in tensors)
            {
                long bytes = (long)tensor.Values.Length * sizeof(float);
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", "F32");
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
    public static void Write(Stream output, byte[] header, List<NamedTensor> tensors)
    {
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        output.Write(length);
        output.Write(header);
        int largest = 0;
        foreach (NamedTensor tensor in tensors) largest = Math.Max(largest, tensor.Values.Length);
        float[] scratch = ArrayPool<float>.Shared.Rent(largest);
        try
        {
            foreach (NamedTensor tensor in tensors)
            {
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
