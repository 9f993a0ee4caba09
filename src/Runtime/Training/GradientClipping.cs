using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.InteropServices;

namespace NetGen;

/// <summary>Gradient clipping between <see cref="INetwork.ComputeGradients(System.ReadOnlySpan{float}, System.ReadOnlySpan{int})"/> and <see cref="INetwork.OptimizerStep"/>.</summary>
public static class GradientClipping
{
    /// <summary>
    /// PyTorch's <c>torch.nn.utils.clip_grad_norm_(parameters, maxNorm)</c> (norm type 2): the L2 norm of all gradients taken
    /// together, and if it exceeds <paramref name="maxNorm"/> every gradient is scaled by <c>maxNorm / (norm + 1e-6)</c>.
    /// Allocates nothing (it runs every step). Tensors without gradients are skipped, as PyTorch skips <c>grad None</c>.
    /// </summary>
    /// <param name="parameters">The network's <see cref="INetwork.Parameters"/>.</param>
    /// <param name="maxNorm">The largest norm left unscaled: more than 0 (<see cref="double.PositiveInfinity"/> only measures).</param>
    /// <returns>
    /// The total norm before clipping. It is NaN or infinite if a gradient is; such gradients are then scaled by 0 (an infinite
    /// norm, as PyTorch does) or left as they are (NaN, where PyTorch would make every gradient NaN): check the result.
    /// </returns>
    /// <remarks>
    /// <para>
    /// The squares are summed in double, sequentially in four interleaved sums (the same order on every machine, whatever its
    /// vector width, so training stays bit-reproducible). PyTorch takes each tensor's norm in float32 and then the norm of those
    /// norms; the totals differ in the last float32 bits (about 1e-7 relative), and the scale factor, which PyTorch computes in
    /// float32 from its float32 norm, may differ by one float32 ulp.
    /// </para>
    /// <para>
    /// PyTorch 1.13 multiplies every gradient by <c>min(coefficient, 1)</c> unconditionally (to avoid a device synchronization
    /// on GPUs); multiplying a float by 1.0f leaves it unchanged, so skipping the multiplication when the coefficient is 1 or
    /// more gives the same gradients, bit for bit.
    /// </para>
    /// </remarks>
    public static double ClipByGlobalNorm(IReadOnlyList<NamedTensor> parameters, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm > 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The largest norm must be more than 0.");

        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (int t = 0; t < parameters.Count; t++)
        {
            float[]? gradients = parameters[t].Gradients;
            if (gradients is null) continue;
            int i = 0;
            for (; i <= gradients.Length - 4; i += 4)
            {
                double g0 = gradients[i], g1 = gradients[i + 1], g2 = gradients[i + 2], g3 = gradients[i + 3];
                s0 += g0 * g0;
                s1 += g1 * g1;
                s2 += g2 * g2;
                s3 += g3 * g3;
            }
            for (; i < gradients.Length; i++)
            {
                double g = gradients[i];
                s0 += g * g;
            }
        }
        double total = Math.Sqrt((s0 + s1) + (s2 + s3));

        double coefficient = maxNorm / (total + 1e-6);
        if (coefficient < 1)
        {
            float scale = (float)coefficient;
            for (int t = 0; t < parameters.Count; t++)
            {
                float[]? gradients = parameters[t].Gradients;
                if (gradients is not null) Scale(gradients, scale);
            }
        }
        return total;
    }

    /// <summary>Multiplies every value by <paramref name="scale"/> (element by element: the same result at any vector width).</summary>
    private static void Scale(Span<float> values, float scale)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<float>.Count)
        {
            Span<Vector<float>> vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
            for (int v = 0; v < vectors.Length; v++) vectors[v] *= scale;
            i = vectors.Length * Vector<float>.Count;
        }
        for (; i < values.Length; i++) values[i] *= scale;
    }
}
