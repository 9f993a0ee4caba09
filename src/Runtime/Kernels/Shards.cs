using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen.Kernels;

/// <summary>
/// The threads of a generated network each take a fixed share: of a batch's rows (into gradients of their own) and of
/// every tensor (to sum those gradients and to update it). Generated networks call this; it is public for them.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Shards
{
    /// <summary>Share <paramref name="shard"/> of <paramref name="shards"/> equal, contiguous shares of <paramref name="length"/> items: [start, end).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (int Start, int End) Range(int length, int shard, int shards) =>
        ((int)((long)shard * length / shards), (int)((long)(shard + 1) * length / shards));

    /// <summary><paramref name="count"/> arrays of <paramref name="length"/> floats: the gradients of one tensor for the threads after the first.</summary>
    public static float[][] Create(int count, int length)
    {
        var shards = new float[count][];
        for (int i = 0; i < count; i++) shards[i] = new float[length];
        return shards;
    }

    /// <summary>
    /// Adds <paramref name="parts"/> into <paramref name="sum"/>, in their order, over share <paramref name="shard"/> of
    /// <paramref name="shards"/> of the tensor: the same sums in the same order whichever thread does which share. Part p is
    /// the gradient of share p + 1 of a batch of <paramref name="rows"/> rows; a share without rows is left out (it adds
    /// nothing, and was not computed).
    /// </summary>
    public static void Sum(float[] sum, float[][] parts, int shard, int shards, int rows)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var (lo, hi) = Range(sum.Length, shard, shards);
        ref float s0 = ref MemoryMarshal.GetArrayDataReference(sum);
        for (int p = 0; p < parts.Length; p++)
        {
            var (first, end) = Range(rows, p + 1, parts.Length + 1);
            if (end == first) continue;
            ref float p0 = ref MemoryMarshal.GetArrayDataReference(parts[p]);
            int i = lo;
            for (; i <= hi - Vector<float>.Count; i += Vector<float>.Count)
                Vector.StoreUnsafe(Vector.LoadUnsafe(ref s0, (nuint)i) + Vector.LoadUnsafe(ref p0, (nuint)i), ref s0, (nuint)i);
            for (; i < hi; i++) Unsafe.Add(ref s0, i) += Unsafe.Add(ref p0, i);
        }
    }
}
