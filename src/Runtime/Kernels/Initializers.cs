using System;
using System.ComponentModel;

namespace NetGen.Kernels;

/// <summary>
/// Draws initial weights and biases in PyTorch's element order: a weight <c>[out, in]</c> row-major, stored in the
/// generated network's <c>[in, out]</c> row-major array. Generated networks call this; it is public for them.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Initializers
{
    /// <summary>Every weight from U(-bound, bound).</summary>
    /// <param name="random">The network's initialization stream.</param>
    /// <param name="weight">The <c>[inputs, outputs]</c> row-major array.</param>
    /// <param name="inputs">Inputs of the layer (fan_in).</param>
    /// <param name="outputs">Outputs of the layer (fan_out).</param>
    /// <param name="bound">The bound of the uniform distribution.</param>
    public static void Uniform(RandomSource random, float[] weight, int inputs, int outputs, float bound)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(weight);
        for (int o = 0; o < outputs; o++)
            for (int i = 0; i < inputs; i++)
                weight[i * outputs + o] = random.NextFloat(-bound, bound);
    }

    /// <summary>Every weight from N(0, std^2).</summary>
    /// <param name="random">The network's initialization stream.</param>
    /// <param name="weight">The <c>[inputs, outputs]</c> row-major array.</param>
    /// <param name="inputs">Inputs of the layer (fan_in).</param>
    /// <param name="outputs">Outputs of the layer (fan_out).</param>
    /// <param name="std">The standard deviation.</param>
    public static void Normal(RandomSource random, float[] weight, int inputs, int outputs, float std)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(weight);
        for (int o = 0; o < outputs; o++)
            for (int i = 0; i < inputs; i++)
                weight[i * outputs + o] = std * random.NextGaussian();
    }

    /// <summary>Every weight from U(-bound, bound), drawn in PyTorch's row-major order into an array laid out as <paramref name="layout"/> says.</summary>
    public static void Uniform(RandomSource random, float[] weight, TensorLayout layout, float bound)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(layout);
        for (int p = 0; p < layout.Count; p++) weight[layout.IndexOf(p)] = random.NextFloat(-bound, bound);
    }

    /// <summary>Every weight from N(0, std^2), drawn in PyTorch's row-major order into an array laid out as <paramref name="layout"/> says.</summary>
    public static void Normal(RandomSource random, float[] weight, TensorLayout layout, float std)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(layout);
        for (int p = 0; p < layout.Count; p++) weight[layout.IndexOf(p)] = std * random.NextGaussian();
    }

    /// <summary>Every value of a bias from U(-bound, bound).</summary>
    public static void Uniform(RandomSource random, float[] bias, float bound)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(bias);
        for (int o = 0; o < bias.Length; o++) bias[o] = random.NextFloat(-bound, bound);
    }
}
