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
        for (int shard = 0; shard < shards; shard++) Shards.Sum(sum, parts, shard, shards);
        Assert.Equal(expected, sum);
    }
}
