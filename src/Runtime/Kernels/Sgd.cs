using System.ComponentModel;
using System.Numerics;
using System.Runtime.InteropServices;

namespace NetGen.Kernels;

/// <summary>
/// SGD for one tensor, as PyTorch's <c>torch.optim.SGD</c> without dampening: <c>g += weight_decay p</c>; with momentum
/// <c>buf = momentum buf + g</c> and <c>g = buf</c> (Nesterov: <c>g += momentum buf</c>); <c>p -= lr g</c>.
/// Generated networks call it from their optimizer step; it is public for them, not for direct use.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Sgd
{
    /// <summary>
    /// Updates share <paramref name="shard"/> of <paramref name="shards"/> equal, contiguous shares of one tensor: values
    /// <paramref name="p"/>, gradients <paramref name="g"/> and, with momentum, the momentum buffer <paramref name="buffer"/>.
    /// </summary>
    /// <param name="p">The tensor's values.</param>
    /// <param name="g">Its gradients.</param>
    /// <param name="buffer">The momentum buffer, laid out like <paramref name="p"/>; null without momentum.</param>
    /// <param name="shard">Which share this call updates, from 0.</param>
    /// <param name="shards">Into how many shares the tensor is split (the thread count).</param>
    /// <param name="learningRate">lr.</param>
    /// <param name="momentum">The momentum factor (0 without a buffer).</param>
    /// <param name="nesterov">Whether the step is Nesterov's.</param>
    /// <param name="weightDecay">The L2 factor added to the gradient (0: none).</param>
    public static void Update(float[] p, float[] g, float[]? buffer, int shard, int shards, float learningRate, float momentum, bool nesterov, float weightDecay)
    {
        var step = new SgdStep(learningRate, momentum, weightDecay);
        if (weightDecay != 0f) Update<L2Decay>(p, g, buffer, shard, shards, nesterov, step);
        else Update<NoDecay>(p, g, buffer, shard, shards, nesterov, step);
    }

    private static void Update<TDecay>(float[] p, float[] g, float[]? buffer, int shard, int shards, bool nesterov, SgdStep step)
        where TDecay : struct, IWeightDecay
    {
        if (buffer is null) Update<TDecay, NoMomentum>(p, g, p, shard, shards, step);
        else if (nesterov) Update<TDecay, NesterovMomentum>(p, g, buffer, shard, shards, step);
        else Update<TDecay, HeavyBallMomentum>(p, g, buffer, shard, shards, step);
    }

    // One loop for every combination of weight decay and momentum: the JIT compiles it once per pair of types.
    private static void Update<TDecay, TMomentum>(float[] p, float[] g, float[] buf, int shard, int shards, SgdStep s)
        where TDecay : struct, IWeightDecay
        where TMomentum : struct, IMomentum
    {
        ref float p0 = ref MemoryMarshal.GetArrayDataReference(p);
        ref float g0 = ref MemoryMarshal.GetArrayDataReference(g);
        ref float buf0 = ref MemoryMarshal.GetArrayDataReference(buf);
        var (i, n) = Shards.Range(p.Length, shard, shards);
        var rate = new Vector<float>(s.LearningRate);
        var weightDecay = new Vector<float>(s.WeightDecay);
        var mu = new Vector<float>(s.Momentum);
        for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
        {
            var pi = Vector.LoadUnsafe(ref p0, (nuint)i);
            var gi = TDecay.Gradient(Vector.LoadUnsafe(ref g0, (nuint)i), pi, weightDecay);
            if (TMomentum.HasBuffer)
            {
                var bi = Vector.LoadUnsafe(ref buf0, (nuint)i) * mu + gi;
                Vector.StoreUnsafe(bi, ref buf0, (nuint)i);
                gi = TMomentum.Direction(gi, bi, mu);
            }
            Vector.StoreUnsafe(pi - rate * gi, ref p0, (nuint)i);
        }
        for (; i < n; i++)
        {
            float gi = TDecay.Gradient(g[i], p[i], s.WeightDecay);
            if (TMomentum.HasBuffer)
            {
                float bi = buf[i] = buf[i] * s.Momentum + gi;
                gi = TMomentum.Direction(gi, bi, s.Momentum);
            }
            p[i] -= s.LearningRate * gi;
        }
    }

    private readonly record struct SgdStep(float LearningRate, float Momentum, float WeightDecay);
}
