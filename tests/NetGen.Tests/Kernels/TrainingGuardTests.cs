using System;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Tests.Kernels;

/// <summary>The flag generated networks guard their training calls with.</summary>
public class TrainingGuardTests
{
    [Fact]
    public void A_second_entry_throws_until_the_first_is_disposed()
    {
        int busy = 0;
        TrainingGuard.CheckIdle(ref busy);
        using (TrainingGuard.Enter(ref busy))
        {
            Assert.Equal(1, busy);
            int flag = busy;
            Assert.Equal(TrainingGuard.Rule, Assert.Throws<InvalidOperationException>(() => TrainingGuard.Enter(ref flag)).Message);
            Assert.Throws<InvalidOperationException>(() => TrainingGuard.CheckIdle(ref flag));
        }
        Assert.Equal(0, busy);
        using (TrainingGuard.Enter(ref busy)) Assert.Equal(1, busy);
    }

    [Fact]
    public void An_exception_inside_the_guarded_call_leaves_the_network_usable()
    {
        int busy = 0;
        int attempts = 0;
        try
        {
            using var guard = TrainingGuard.Enter(ref busy);
            attempts++;
            throw new ArgumentException("a bad batch");
        }
        catch (ArgumentException)
        {
        }
        Assert.Equal(1, attempts);
        Assert.Equal(0, busy);
    }
}
