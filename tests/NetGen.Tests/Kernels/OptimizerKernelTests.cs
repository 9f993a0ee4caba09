using System;
using System.Linq;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Tests.Kernels;

/// <summary>
/// The runtime's Adam and SGD updates against PyTorch's formulas computed in double, one value at a time, over tensors
/// whose lengths leave vector tails, split into shares as threads split them.
/// </summary>
public class OptimizerKernelTests
{
    private static float[] Values(int seed, int n, float scale = 1f)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1) * scale).ToArray();
    }

    public static TheoryData<int, int> LengthsAndShards => new()
    {
        { 1, 1 }, { 7, 1 }, { 8, 1 }, { 33, 1 }, { 1000, 1 }, { 33, 3 }, { 1000, 2 }, { 5, 7 },
    };

    [Theory]
    [MemberData(nameof(LengthsAndShards))]
    public void Adam_with_each_kind_of_decay_follows_PyTorchs_formula(int length, int shards)
    {
        foreach (AdamDecay decay in Enum.GetValues<AdamDecay>())
        {
            const double beta1 = 0.85, beta2 = 0.995, lr = 0.01, weightDecay = 0.05;
            const float eps = 1e-6f;
            float[] p = Values(1, length), m = new float[length], v = new float[length];
            double[] pd = p.Select(x => (double)x).ToArray(), md = new double[length], vd = new double[length];
            for (int t = 1; t <= 3; t++)
            {
                float[] g = Values(10 + t, length, 0.5f);
                var step = new AdamStep(beta1, beta2, eps, (float)lr, (float)weightDecay, decay, t);
                for (int shard = 0; shard < shards; shard++) Adam.Update(p, g, m, v, shard, shards, step);
                for (int i = 0; i < length; i++)
                {
                    double gi = g[i];
                    if (decay == AdamDecay.L2) gi += weightDecay * pd[i];
                    if (decay == AdamDecay.Decoupled) pd[i] *= 1 - lr * weightDecay;
                    md[i] = beta1 * md[i] + (1 - beta1) * gi;
                    vd[i] = beta2 * vd[i] + (1 - beta2) * gi * gi;
                    double corrected = Math.Sqrt(vd[i]) / Math.Sqrt(1 - Math.Pow(beta2, t));
                    pd[i] -= lr / (1 - Math.Pow(beta1, t)) * md[i] / (corrected + eps);
                }
            }
            for (int i = 0; i < length; i++)
            {
                Assert.True(Math.Abs(p[i] - pd[i]) <= 1e-6 * (1 + Math.Abs(pd[i])), $"{decay}, value {i} of {length}: {p[i]} vs {pd[i]}");
                Assert.True(Math.Abs(m[i] - md[i]) <= 1e-6, $"{decay}, m[{i}]: {m[i]} vs {md[i]}");
                Assert.True(Math.Abs(v[i] - vd[i]) <= 1e-6, $"{decay}, v[{i}]: {v[i]} vs {vd[i]}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(LengthsAndShards))]
    public void Sgd_with_and_without_momentum_Nesterov_and_weight_decay_follows_PyTorchs_formula(int length, int shards)
    {
        foreach (var (momentum, nesterov, weightDecay) in new[] { (0f, false, 0f), (0f, false, 0.01f), (0.9f, false, 0f), (0.8f, true, 0.01f) })
        {
            const float lr = 0.05f;
            float[] p = Values(2, length);
            float[]? buffer = momentum == 0f ? null : new float[length];
            double[] pd = p.Select(x => (double)x).ToArray(), bd = new double[length];
            for (int t = 1; t <= 3; t++)
            {
                float[] g = Values(20 + t, length, 0.5f);
                for (int shard = 0; shard < shards; shard++) Sgd.Update(p, g, buffer, shard, shards, lr, momentum, nesterov, weightDecay);
                for (int i = 0; i < length; i++)
                {
                    double gi = g[i] + (double)weightDecay * pd[i];
                    if (momentum != 0f)
                    {
                        bd[i] = t == 1 ? gi : momentum * bd[i] + gi; // PyTorch: the first buffer is the gradient itself
                        gi = nesterov ? gi + momentum * bd[i] : bd[i];
                    }
                    pd[i] -= lr * gi;
                }
            }
            for (int i = 0; i < length; i++)
                Assert.True(Math.Abs(p[i] - pd[i]) <= 1e-6 * (1 + Math.Abs(pd[i])), $"momentum {momentum}, nesterov {nesterov}, decay {weightDecay}, value {i}: {p[i]} vs {pd[i]}");
        }
    }

    [Fact]
    public void Splitting_a_tensor_between_threads_changes_no_value()
    {
        const int length = 1001;
        float[] one = Values(3, length), split = (float[])one.Clone();
        float[] m1 = new float[length], v1 = new float[length], m2 = new float[length], v2 = new float[length];
        for (int t = 1; t <= 4; t++)
        {
            float[] g = Values(30 + t, length);
            var step = new AdamStep(0.9, 0.999, 1e-8f, 0.001f, 0.01f, AdamDecay.Decoupled, t);
            Adam.Update(one, g, m1, v1, 0, 1, step);
            for (int shard = 0; shard < 3; shard++) Adam.Update(split, g, m2, v2, shard, 3, step);
        }
        Assert.Equal(one, split);
        Assert.Equal(m1, m2);
        Assert.Equal(v1, v2);
    }

    [Fact]
    public void The_step_scalars_are_computed_in_double_from_the_decimal_betas()
    {
        var step = new AdamStep(0.9, 0.999, 1e-8f, 0.001f, 0.01f, AdamDecay.Decoupled, 3);
        Assert.Equal((float)(1 - 0.999), step.OneMinusBeta2); // 0.001, not 1 - 0.999f
        Assert.Equal((float)((double)0.001f / (1 - Math.Pow(0.9, 3))), step.StepSize); // lr is the float the network holds
        Assert.Equal((float)(1 / Math.Sqrt(1 - Math.Pow(0.999, 3))), step.InverseCorrection2);
        Assert.Equal((float)(1 - 0.001 * (double)0.01f), step.DecayFactor);
        Assert.Equal(0f, step.WeightDecay);
        Assert.Equal(0.01f, new AdamStep(0.9, 0.999, 1e-8f, 0.001f, 0.01f, AdamDecay.L2, 1).WeightDecay);
        Assert.Equal(1f, new AdamStep(0.9, 0.999, 1e-8f, 0.001f, 0.01f, AdamDecay.None, 1).DecayFactor);
    }
}
