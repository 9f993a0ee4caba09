using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace NetGen;

/// <summary>What a validated file will write into the network: applying it cannot fail.</summary>
internal sealed class LoadPlan
{
    public LoadPlan(Checkpoint checkpoint, long step, ulong[]? dropoutState)
    {
        Checkpoint = checkpoint;
        Step = step;
        DropoutState = dropoutState;
    }

    public Checkpoint Checkpoint { get; }

    /// <summary>The optimizer step count to set (0 for a file without optimizer state).</summary>
    public long Step { get; }

    /// <summary>The dropout random state to restore, or null to leave it.</summary>
    public ulong[]? DropoutState { get; }

    /// <summary>The bytes after the header.</summary>
    public byte[] Data { get; set; } = Array.Empty<byte>();

    /// <summary>Each tensor to fill, with the offset of its row-major F32 values in <see cref="Data"/>.</summary>
    public List<(NamedTensor Target, long Begin)> Tensors { get; } = new();

    /// <summary>Optimizer state the file does not have: set to zero, as a fresh optimizer's.</summary>
    public List<NamedTensor> StateToClear { get; } = new();

    /// <summary>Writes everything into <paramref name="network"/>.</summary>
    public void Apply(INetwork network)
    {
        foreach (var (target, begin) in Tensors) Fill(target, Data.AsSpan((int)begin, target.Values.Length * sizeof(float)));
        foreach (NamedTensor tensor in StateToClear) Array.Clear(tensor.Values);
        network.Step = Step;
        if (DropoutState is not null) network.DropoutRandom!.SetState(DropoutState);
    }

    /// <summary>Copies row-major little-endian F32 values into the tensor, where its layout puts them (see <see cref="NamedTensor.Layout"/>).</summary>
    private static void Fill(NamedTensor tensor, ReadOnlySpan<byte> bytes)
    {
        float[] values = tensor.Values;
        if (tensor.Layout.IsRowMajor)
        {
            for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i * sizeof(float)));
            return;
        }
        float[] rowMajor = ArrayPool<float>.Shared.Rent(values.Length);
        for (int i = 0; i < values.Length; i++) rowMajor[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i * sizeof(float)));
        tensor.Layout.FromRowMajor(rowMajor.AsSpan(0, values.Length), values);
        ArrayPool<float>.Shared.Return(rowMajor);
    }
}
