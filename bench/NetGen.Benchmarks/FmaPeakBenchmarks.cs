using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace NetGen.Benchmarks.Peak;

/// <summary>
/// The machine's multiply-add peak on one core: 12 independent chains of fused multiply-adds (enough to cover the latency
/// of two FMA units), <see cref="Iterations"/> rounds per call, for Vector256 and Vector512. Where Vector512 is not
/// accelerated (AVX2 machines) .NET emulates it with two Vector256 halves, and its number is that emulation's, not a peak.
/// The conv kernels' GFLOP/s (ConvKernelBenchmarks) are read against the Vector256 (or, with AVX-512, the Vector512) number.
/// </summary>
[ShortJob(warmupCount: 3, iterationCount: 10)]
[Config(typeof(FlopsConfig))]
public class FmaPeakBenchmarks
{
    public const int Iterations = 100_000, Chains = 12;

    private sealed class FlopsConfig : ManualConfig
    {
        public FlopsConfig() => AddColumn(new FlopsColumn("GFLOP/s", new Dictionary<string, double>
        {
            [nameof(Vector256Fma)] = 2.0 * Iterations * Chains * Vector256<float>.Count,
            [nameof(Vector512Fma)] = 2.0 * Iterations * Chains * Vector512<float>.Count,
        }));
    }

    [GlobalSetup]
    public void Report() => System.Console.WriteLine(
        $"// Vector256 accelerated: {Vector256.IsHardwareAccelerated}, Vector512 accelerated: {Vector512.IsHardwareAccelerated}");

    [Benchmark]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public float Vector256Fma()
    {
        var m = Vector256.Create(0.999f);
        var c = Vector256.Create(1e-3f);
        Vector256<float> a0 = Vector256.Create(1f), a1 = a0 + c, a2 = a1 + c, a3 = a2 + c, a4 = a3 + c, a5 = a4 + c;
        Vector256<float> a6 = a5 + c, a7 = a6 + c, a8 = a7 + c, a9 = a8 + c, a10 = a9 + c, a11 = a10 + c;
        for (int i = 0; i < Iterations; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, m, c); a1 = Vector256.FusedMultiplyAdd(a1, m, c);
            a2 = Vector256.FusedMultiplyAdd(a2, m, c); a3 = Vector256.FusedMultiplyAdd(a3, m, c);
            a4 = Vector256.FusedMultiplyAdd(a4, m, c); a5 = Vector256.FusedMultiplyAdd(a5, m, c);
            a6 = Vector256.FusedMultiplyAdd(a6, m, c); a7 = Vector256.FusedMultiplyAdd(a7, m, c);
            a8 = Vector256.FusedMultiplyAdd(a8, m, c); a9 = Vector256.FusedMultiplyAdd(a9, m, c);
            a10 = Vector256.FusedMultiplyAdd(a10, m, c); a11 = Vector256.FusedMultiplyAdd(a11, m, c);
        }
        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [Benchmark]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public float Vector512Fma()
    {
        var m = Vector512.Create(0.999f);
        var c = Vector512.Create(1e-3f);
        Vector512<float> a0 = Vector512.Create(1f), a1 = a0 + c, a2 = a1 + c, a3 = a2 + c, a4 = a3 + c, a5 = a4 + c;
        Vector512<float> a6 = a5 + c, a7 = a6 + c, a8 = a7 + c, a9 = a8 + c, a10 = a9 + c, a11 = a10 + c;
        for (int i = 0; i < Iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, c); a1 = Vector512.FusedMultiplyAdd(a1, m, c);
            a2 = Vector512.FusedMultiplyAdd(a2, m, c); a3 = Vector512.FusedMultiplyAdd(a3, m, c);
            a4 = Vector512.FusedMultiplyAdd(a4, m, c); a5 = Vector512.FusedMultiplyAdd(a5, m, c);
            a6 = Vector512.FusedMultiplyAdd(a6, m, c); a7 = Vector512.FusedMultiplyAdd(a7, m, c);
            a8 = Vector512.FusedMultiplyAdd(a8, m, c); a9 = Vector512.FusedMultiplyAdd(a9, m, c);
            a10 = Vector512.FusedMultiplyAdd(a10, m, c); a11 = Vector512.FusedMultiplyAdd(a11, m, c);
        }
        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }
}
