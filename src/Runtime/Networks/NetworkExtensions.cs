using System;

namespace NetGen;

/// <summary>Helpers over any generated network.</summary>
public static class NetworkExtensions
{
    /// <summary>
    /// Class probabilities of one input row: the softmax of the outputs (cross-entropy and mse networks), or
    /// [1 - p, p] with p = sigmoid(output) for a one-output binary cross-entropy network.
    /// </summary>
    /// <returns>One value per class (<see cref="INetwork.ClassCount"/>), summing to 1.</returns>
    public static float[] Probabilities(this INetwork network, ReadOnlySpan<float> input)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (input.Length != network.InputSize) throw new ArgumentException($"An input row has {network.InputSize} values; got {input.Length}.", nameof(input));
        var outputs = new float[network.OutputSize];
        network.Forward(input, outputs);
        if (network.ClassCount != network.OutputSize)
        {
            float p = 1f / (1f + MathF.Exp(-outputs[0]));
            return new[] { 1f - p, p };
        }
        float max = float.NegativeInfinity;
        foreach (float z in outputs) max = MathF.Max(max, z);
        double sum = 0;
        var probabilities = new float[outputs.Length];
        for (int i = 0; i < outputs.Length; i++) sum += probabilities[i] = MathF.Exp(outputs[i] - max);
        for (int i = 0; i < outputs.Length; i++) probabilities[i] = (float)(probabilities[i] / sum);
        return probabilities;
    }
}
