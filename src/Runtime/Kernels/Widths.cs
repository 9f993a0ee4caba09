using System;
using System.ComponentModel;
using System.Runtime.Intrinsics;

namespace NetGen.Kernels;

/// <summary>
/// Which vector width the register-blocked kernels of a generated network use. They sum each output in its own lane, in the
/// same order and with the same fused multiply-adds at every width, so a network trains the same weights bit for bit with
/// Vector512 as with Vector256: the width only changes how many instructions a step takes. Generated networks read this;
/// it is public for them.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Widths
{
    /// <summary>The environment variable that, set to <c>1</c>, makes the kernels use Vector512 where it is not accelerated
    /// (the .NET runtime then computes it as two Vector256 halves): how the tests run the Vector512 kernels on AVX2 machines.</summary>
    public const string ForceVector512Variable = "NETGEN_FORCE_VECTOR512";

    /// <summary>
    /// Whether the kernels use Vector512: where the CPU accelerates it (AVX-512; <c>DOTNET_EnableAVX512F=0</c> turns it off),
    /// or where <see cref="ForceVector512Variable"/> is <c>1</c> and Vector256 is accelerated. Read once; after that the
    /// JIT treats it as a constant.
    /// </summary>
    public static readonly bool Vector512 = Vector256.IsHardwareAccelerated
        && (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated || Environment.GetEnvironmentVariable(ForceVector512Variable) == "1");
}
