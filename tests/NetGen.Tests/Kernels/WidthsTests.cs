using System;
using System.Runtime.Intrinsics;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Tests.Kernels;

/// <summary>
/// Which width the generated kernels take in this process. <c>.ci/run</c> runs these tests a second time with
/// <c>NETGEN_FORCE_VECTOR512=1</c>: this test is what makes sure that pass really ran the Vector512 kernels.
/// </summary>
public class WidthsTests
{
    [Fact]
    public void Vector512_where_accelerated_or_forced_and_never_without_Vector256()
    {
        bool forced = Environment.GetEnvironmentVariable(Widths.ForceVector512Variable) == "1";
        if (!Vector256.IsHardwareAccelerated) Assert.False(Widths.Vector512, "Vector512 kernels without Vector256 (the portable kernels run there)");
        else if (forced || Vector512.IsHardwareAccelerated) Assert.True(Widths.Vector512, $"forced: {forced}, Vector512 accelerated: {Vector512.IsHardwareAccelerated}");
        else Assert.False(Widths.Vector512, "Vector512 kernels on a CPU without AVX-512 and without the variable");
    }
}
