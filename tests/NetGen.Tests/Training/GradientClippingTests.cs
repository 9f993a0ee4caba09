using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Tests.Training;

/// <summary>
/// <see cref="GradientClipping.ClipByGlobalNorm"/> against what torch 1.13's <c>clip_grad_norm_</c> did to the same float32
/// gradients (Fixtures/pytorch/clip.json, made by make_schedules.py).
/// </summary>
public sealed class GradientClippingTests(ITestOutputHelper output)
{
    /// <summary>
    /// Relative difference allowed from PyTorch: it sums each tensor's squares in float32 and computes the scale in float32,
    /// NetGen sums in double (both about 1e-7).
    /// </summary>
    private const double Tolerance = 1e-6;

    private sealed record ClipCase(string Name, double MaxNorm, float[][] Gradients, double TotalNorm, float[][] Clipped);

    private static readonly Lazy<Dictionary<string, ClipCase>> s_cases = new(() =>
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "pytorch", "clip.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
        static float[][] Floats(JsonElement lists) =>
            lists.EnumerateArray().Select(l => l.EnumerateArray().Select(v => checked((float)v.GetDouble())).ToArray()).ToArray();
        return document.RootElement.GetProperty("cases").EnumerateArray().ToDictionary(
            c => c.GetProperty("name").GetString()!,
            c => new ClipCase(c.GetProperty("name").GetString()!, c.GetProperty("max_norm").GetDouble(), Floats(c.GetProperty("gradients")),
                c.GetProperty("total_norm").GetDouble(), Floats(c.GetProperty("clipped"))));
    });

    public static IEnumerable<object[]> Cases => s_cases.Value.Keys.Select(n => new object[] { n });

    private static NamedTensor[] Tensors(float[][] gradients) =>
        gradients.Select((g, i) => new NamedTensor($"p{i}", new[] { g.Length }, new float[g.Length], (float[])g.Clone())).ToArray();

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string name)
    {
        ClipCase c = s_cases.Value[name];
        NamedTensor[] tensors = Tensors(c.Gradients);
        double total = GradientClipping.ClipByGlobalNorm(tensors, c.MaxNorm);

        double normError = Math.Abs(total - c.TotalNorm) / c.TotalNorm;
        Assert.True(normError <= Tolerance, $"{name}: norm {total:R}, PyTorch {c.TotalNorm:R}");
        double worst = 0;
        bool clipped = c.MaxNorm < c.TotalNorm;
        for (int t = 0; t < tensors.Length; t++)
        {
            float[] actual = tensors[t].Gradients!, expected = c.Clipped[t];
            for (int i = 0; i < actual.Length; i++)
            {
                if (!clipped)
                {
                    // PyTorch multiplied by 1.0f; NetGen did not touch them: both the original bits.
                    Assert.Equal(BitConverter.SingleToInt32Bits(c.Gradients[t][i]), BitConverter.SingleToInt32Bits(actual[i]));
                    Assert.Equal(BitConverter.SingleToInt32Bits(expected[i]), BitConverter.SingleToInt32Bits(actual[i]));
                    continue;
                }
                double error = expected[i] == actual[i] ? 0 : Math.Abs(actual[i] - (double)expected[i]) / Math.Abs(expected[i]);
                Assert.True(error <= Tolerance, $"{name}: tensor {t}[{i}]: {actual[i]:R}, PyTorch {expected[i]:R}");
                worst = Math.Max(worst, error);
            }
        }
        output.WriteLine($"{name}: norm relative error {normError:E2}, gradients max relative error {worst:E2}");
    }

    [Fact]
    public void HandComputed()
    {
        // Gradients 3 and 4 (and 0 and a tensor without gradients): norm 5. max 1: scaled by (float)(1 / (5 + 1e-6)).
        var tensors = new[]
        {
            new NamedTensor("a", new[] { 2 }, new float[2], new[] { 3f, 0f }),
            new NamedTensor("state", new[] { 3 }, new float[3], null),
            new NamedTensor("b", new[] { 1 }, new float[1], new[] { -4f }),
        };
        Assert.Equal(5.0, GradientClipping.ClipByGlobalNorm(tensors, 1.0));
        float scale = (float)(1.0 / 5.000001);
        Assert.Equal(3f * scale, tensors[0].Gradients![0]);
        Assert.Equal(0f, tensors[0].Gradients![1]);
        Assert.Equal(-4f * scale, tensors[2].Gradients![0]);

        // At a max norm of exactly the norm the coefficient is 5 / 5.000001 < 1: PyTorch clips (slightly) here too.
        var again = new[] { new NamedTensor("a", new[] { 2 }, new float[2], new[] { 3f, 4f }) };
        GradientClipping.ClipByGlobalNorm(again, 5.0);
        Assert.Equal(3f * (float)(5.0 / 5.000001), again[0].Gradients![0]);

        // No gradients at all: norm 0, nothing to do.
        Assert.Equal(0.0, GradientClipping.ClipByGlobalNorm(Array.Empty<NamedTensor>(), 1.0));
    }

    [Fact]
    public void BelowTheMaximumGradientsAreUntouched()
    {
        var random = new Random(5);
        float[] values = Enumerable.Range(0, 1001).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var tensors = new[] { new NamedTensor("w", new[] { 1001 }, new float[1001], (float[])values.Clone()) };
        double norm = GradientClipping.ClipByGlobalNorm(tensors, double.PositiveInfinity);
        Assert.Equal(norm, GradientClipping.ClipByGlobalNorm(tensors, norm * 1.01));
        Assert.Equal(values.Select(BitConverter.SingleToInt32Bits), tensors[0].Gradients!.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void AllocatesNothing()
    {
        var random = new Random(7);
        IReadOnlyList<NamedTensor> tensors = new List<NamedTensor>
        {
            new("w", new[] { 300, 7 }, new float[2100], Enumerable.Range(0, 2100).Select(_ => (float)random.NextDouble()).ToArray()),
            new("b", new[] { 300 }, new float[300], Enumerable.Range(0, 300).Select(_ => (float)random.NextDouble()).ToArray()),
            new("m", new[] { 300 }, new float[300], null),
        };
        // Warm up (JIT, tiering) for both branches, then measure both: clipping, and measuring only.
        for (int i = 0; i < 3; i++)
        {
            GradientClipping.ClipByGlobalNorm(tensors, 1e-3);
            GradientClipping.ClipByGlobalNorm(tensors, 1e30);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        double clipped = GradientClipping.ClipByGlobalNorm(tensors, 1e-3);
        double measured = GradientClipping.ClipByGlobalNorm(tensors, 1e30);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(clipped > 0 && measured > 0);
    }

    [Fact]
    public void MaxNormIsChecked()
    {
        var tensors = new[] { new NamedTensor("a", new[] { 1 }, new float[1], new[] { 1f }) };
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByGlobalNorm(tensors, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByGlobalNorm(tensors, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByGlobalNorm(tensors, double.NaN));
        Assert.Throws<ArgumentNullException>(() => GradientClipping.ClipByGlobalNorm(null!, 1));
    }
}
