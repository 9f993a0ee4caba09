using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen.Kernels;

/// <summary>
/// The threads of a generated network each take a fixed share: of a batch's rows (through the layers and back) and of
/// every tensor (to sum its gradient over the rows, and to update it). Generated networks call this; it is public for them.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Shards
{
    /// <summary>Share <paramref name="shard"/> of <paramref name="shards"/> equal, contiguous shares of <paramref name="length"/> items: [start, end).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (int Start, int End) Range(int length, int shard, int shards) =>
        ((int)((long)shard * length / shards), (int)((long)(shard + 1) * length / shards));
}
