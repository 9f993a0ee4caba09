using System;
using System.Collections.Generic;
using MathNet.Numerics.LinearAlgebra;

namespace NetGen.Tests.Networks;

/// <summary>
/// The documented dropout protocol, re-implemented from its description (not from the generated code): in a
/// training forward pass, for each layer with dropout in order, one <c>NextFloat()</c> of the network's
/// <c>DropoutRandom</c> per value of the layer's <c>[rows, units]</c> outputs in row-major order; the value is dropped
/// (factor 0) when the draw is below the rate, else kept and scaled by 1/(1 - rate).
/// </summary>
internal static class DropoutReplay
{
    /// <summary>
    /// The masks one training call on <paramref name="rows"/> rows will use, given the random source's state before
    /// the call: per layer, <c>[rows, units]</c> factors, or null for a layer without dropout.
    /// </summary>
    /// <param name="stateAfter">The random source's state after the call's draws.</param>
    public static Matrix<double>?[] Masks(ulong[] stateBefore, IReadOnlyList<LayerView> layers, int rows, out ulong[] stateAfter)
    {
        var random = new RandomSource(0);
        random.SetState(stateBefore);
        var masks = new Matrix<double>?[layers.Count];
        for (int l = 0; l < layers.Count; l++)
        {
            double rate = layers[l].DropoutRate;
            if (rate == 0) continue;
            int units = layers[l].Width;
            var mask = Matrix<double>.Build.Dense(rows, units);
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < units; c++)
                    mask[r, c] = random.NextFloat() < rate ? 0 : 1 / (1 - rate);
            masks[l] = mask;
        }
        stateAfter = random.GetState();
        return masks;
    }

    /// <summary>The masks of the network's next training call on <paramref name="rows"/> rows (the network is not touched).</summary>
    public static Matrix<double>?[] NextMasks(IDropoutNetwork network, int rows, out ulong[] stateAfter) =>
        Masks(network.DropoutRandom.GetState(), network.Layers, rows, out stateAfter);

    /// <summary>No masks for a network without dropout, else those of its next training call.</summary>
    public static Matrix<double>?[]? NextMasksIfAny(ITestNetwork network, int rows, out ulong[]? stateAfter)
    {
        stateAfter = null;
        if (network is not IDropoutNetwork dropout) return null;
        Matrix<double>?[] masks = NextMasks(dropout, rows, out ulong[] after);
        stateAfter = after;
        return masks;
    }
}
