using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace NetGen.Tests.Images;

/// <summary>
/// A safetensors file read the plain way, for the PyTorch fixtures (Fixtures/pytorch): every tensor by name with its shape,
/// F32 values as floats and I64 values as longs, in PyTorch's row-major order. Independent of NetGen's own reader.
/// </summary>
internal sealed class FixtureFile
{
    private readonly Dictionary<string, (long[] Shape, string DType, byte[] Bytes)> _tensors = new();

    public FixtureFile(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(file);
        using JsonDocument header = JsonDocument.Parse(file.AsMemory(8, (int)headerLength));
        int data = 8 + (int)headerLength;
        foreach (JsonProperty entry in header.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__") continue;
            long[] shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            long[] offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            Names.Add(entry.Name);
            _tensors[entry.Name] = (shape, entry.Value.GetProperty("dtype").GetString()!, file[(data + (int)offsets[0])..(data + (int)offsets[1])]);
        }
    }

    /// <summary>The tensors' names in the file's order.</summary>
    public List<string> Names { get; } = new();

    public long[] Shape(string name) => _tensors[name].Shape;

    public float[] Floats(string name)
    {
        var (_, dtype, bytes) = _tensors[name];
        if (dtype != "F32") throw new InvalidOperationException($"{name} is {dtype}, not F32");
        var values = new float[bytes.Length / 4];
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4));
        return values;
    }

    public long[] Longs(string name)
    {
        var (_, dtype, bytes) = _tensors[name];
        if (dtype != "I64") throw new InvalidOperationException($"{name} is {dtype}, not I64");
        var values = new long[bytes.Length / 8];
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(i * 8));
        return values;
    }

    /// <summary>The fixture of <paramref name="name"/> beside the test assembly.</summary>
    public static string PathOf(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", "pytorch", name);
}
