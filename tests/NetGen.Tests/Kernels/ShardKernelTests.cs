using System;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Tests.Kernels;

/// <summary>How threads split tensors and sum their gradients.</summary>
public class ShardKernelTests
{
    [Fact]
    public void Shares_cover_every_index_once_in_order()
    {
        for (int length = 0; length <= 40; length++)
        {
            for (int shards = 1; shards <= 6; shards++)
            {
                int next = 0;
                for (int shard = 0; shard < shards; shard++)
                {
                    var (start, end) = Shards.Range(length, shard, shards);
                    Assert.Equal(next, start);
                    Assert.True(end >= start);
                    next = end;
                }
                Assert.Equal(length, next);
            }
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(37, 1)]
    [InlineData(37, 3)]
    [InlineData(1000, 2)]
    public void Sum_adds_the_parts_in_their_order_exactly_as_a_plain_loop(int length, int shards)
    {
        var random = new Random(length);
        float[] sum = new float[length], expected = new float[length];
        float[][] parts = Shards.Create(3, length);
        Assert.All(parts, part => Assert.Equal(length, part.Length));
        for (int i = 0; i < length; i++)
        {
            sum[i] = expected[i] = (float)random.NextDouble();
            foreach (float[] part in parts) part[i] = (float)(random.NextDouble() * 1e-3);
        }
        for (int i = 0; i < length; i++)
            foreach (float[] part in parts) expected[i] += part[i];
        for (int shard = 0; shard < shards; shard++) Shards.Sum(sum, parts, shard, shards, rows: 100);
        Assert.Equal(expected, sum);
    }

    /// <summary>With more shares than rows some shares hold no rows: their arrays were not computed and are left out.</summary>
    [Fact]
    public void Sum_leaves_out_the_parts_of_shares_without_rows()
    {
        const int length = 19, rows = 2, threads = 5; // rows 0 and 1 fall to shares 2 and 4; shares 1 and 3 are empty
        float[] sum = new float[length];
        float[][] parts = Shards.Create(threads - 1, length);
        for (int i = 0; i < length; i++)
        {
            sum[i] = i;
            parts[0][i] = float.NaN; // share 1: empty, stale
            parts[1][i] = 0.5f; // share 2
            parts[2][i] = float.NaN; // share 3: empty, stale
            parts[3][i] = 0.25f; // share 4
        }
        Assert.Equal((0, 0), Shards.Range(rows, 1, threads));
        Assert.Equal((0, 1), Shards.Range(rows, 2, threads));
        Assert.Equal((1, 1), Shards.Range(rows, 3, threads));
        Assert.Equal((1, 2), Shards.Range(rows, 4, threads));
        Shards.Sum(sum, parts, 0, 1, rows);
        for (int i = 0; i < length; i++) Assert.Equal(i + 0.5f + 0.25f, sum[i]);
    }
}
