using System;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Tests.Kernels;

/// <summary>How threads split rows and tensors.</summary>
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
}
