using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.InteropServices;

namespace NetGen.Kernels;

/// <summary>
/// Adam and AdamW for one tensor (Kingma and Ba, 2015, in the form PyTorch documents for <c>torch.optim.Adam</c> and
/// <c>AdamW</c>): <c>m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; p -= lr / (1 - b1^t) m / (sqrt(v) / sqrt(1 - b2^t) + eps)</c>.
/// Generated networks call it from their optimizer step; it is public for them, not for direct use.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Adam
{
    /// <summary>
    /// Updates share <paramref name="shard"/> of <paramref name="shards"/> equal, contiguous shares of one tensor:
    /// values <paramref name="p"/>, gradients <paramref name="g"/>, first and second moments <paramref name="m"/> and
    /// <paramref name="v"/>, all laid out alike.
    /// </summary>
    public static void Update(float[] p, float[] g, float[] m, float[] v, int shard, int shards, in AdamStep step)
    {
        switch (step.Decay)
        {
            case AdamDecay.L2:
                Update<L2Decay>(p, g, m, v, shard, shards, step);
                break;
            case AdamDecay.Decoupled:
                Update<DecoupledDecay>(p, g, m, v, shard, shards, step);
                break;
            default:
                Update<NoDecay>(p, g, m, v, shard, shards, step);
                break;
        }
    }

    // One loop for the three kinds of weight decay: the JIT compiles it once per decay type, so each has no test in its loop.
    private static void Update<TDecay>(float[] p, float[] g, float[] m, float[] v, int shard, int shards, in AdamStep s)
        where TDecay : struct, IWeightDecay
    {
        ref float p0 = ref MemoryMarshal.GetArrayDataReference(p);
        ref float g0 = ref MemoryMarshal.GetArrayDataReference(g);
        ref float m0 = ref MemoryMarshal.GetArrayDataReference(m);
        ref float v0 = ref MemoryMarshal.GetArrayDataReference(v);
        var (i, n) = Shards.Range(p.Length, shard, shards);
        float b1 = s.Beta1, c1 = s.OneMinusBeta1, b2 = s.Beta2, c2 = s.OneMinusBeta2;
        var beta1 = new Vector<float>(b1);
        var oneMinusBeta1 = new Vector<float>(c1);
        var beta2 = new Vector<float>(b2);
        var oneMinusBeta2 = new Vector<float>(c2);
        var eps = new Vector<float>(s.Epsilon);
        var stepSize = new Vector<float>(s.StepSize);
        var correction = new Vector<float>(s.InverseCorrection2);
        var weightDecay = new Vector<float>(s.WeightDecay);
        var decay = new Vector<float>(s.DecayFactor);
        for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
        {
            var pi = Vector.LoadUnsafe(ref p0, (nuint)i);
            var gi = TDecay.Gradient(Vector.LoadUnsafe(ref g0, (nuint)i), pi, weightDecay);
            var mi = Vector.LoadUnsafe(ref m0, (nuint)i) * beta1 + gi * oneMinusBeta1;
            var vi = Vector.LoadUnsafe(ref v0, (nuint)i) * beta2 + gi * gi * oneMinusBeta2;
            Vector.StoreUnsafe(mi, ref m0, (nuint)i);
            Vector.StoreUnsafe(vi, ref v0, (nuint)i);
            // sqrt(v) / sqrt(1 - b2^t) as sqrt(v) times the reciprocal: one vector division per value instead of two.
            var denominator = Vector.SquareRoot(vi) * correction + eps;
            Vector.StoreUnsafe(TDecay.Parameter(pi, decay) - stepSize * mi / denominator, ref p0, (nuint)i);
        }
        for (; i < n; i++)
        {
            float gi = TDecay.Gradient(g[i], p[i], s.WeightDecay);
            float mi = m[i] = m[i] * b1 + gi * c1;
            float vi = v[i] = v[i] * b2 + gi * gi * c2;
            p[i] = TDecay.Parameter(p[i], s.DecayFactor) - s.StepSize * mi / (MathF.Sqrt(vi) * s.InverseCorrection2 + s.Epsilon);
        }
    }
}
