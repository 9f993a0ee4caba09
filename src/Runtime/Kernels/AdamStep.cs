using System;
using System.ComponentModel;

namespace NetGen.Kernels;

/// <summary>
/// The scalars of one Adam step, the same for every value of every tensor, computed once per step: the bias corrections
/// depend only on the step number.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct AdamStep
{
    /// <summary>
    /// Computes step <paramref name="step"/>'s scalars. The betas are the spec's decimal values: 1 - beta and beta^t are
    /// computed in double and then rounded, as PyTorch computes them in Python.
    /// </summary>
    /// <param name="beta1">b1, the decay of the first moment.</param>
    /// <param name="beta2">b2, the decay of the second moment.</param>
    /// <param name="epsilon">eps, added to the denominator.</param>
    /// <param name="learningRate">lr.</param>
    /// <param name="weightDecay">weight_decay (used as <paramref name="decay"/> says).</param>
    /// <param name="decay">How weight decay is applied.</param>
    /// <param name="step">The step number t, from 1.</param>
    public AdamStep(double beta1, double beta2, float epsilon, float learningRate, float weightDecay, AdamDecay decay, long step)
    {
        Beta1 = (float)beta1;
        OneMinusBeta1 = (float)(1 - beta1);
        Beta2 = (float)beta2;
        OneMinusBeta2 = (float)(1 - beta2);
        Epsilon = epsilon;
        Decay = decay;
        WeightDecay = decay == AdamDecay.L2 ? weightDecay : 0f;
        DecayFactor = decay == AdamDecay.Decoupled ? (float)(1.0 - (double)learningRate * weightDecay) : 1f;
        double biasCorrection1 = 1.0 - Math.Pow(beta1, step);
        double biasCorrection2 = 1.0 - Math.Pow(beta2, step);
        StepSize = (float)(learningRate / biasCorrection1);
        InverseCorrection2 = (float)(1.0 / Math.Sqrt(biasCorrection2));
    }

    /// <summary>b1, rounded to float.</summary>
    public float Beta1 { get; }

    /// <summary>1 - b1, computed in double, then rounded.</summary>
    public float OneMinusBeta1 { get; }

    /// <summary>b2, rounded to float.</summary>
    public float Beta2 { get; }

    /// <summary>1 - b2, computed in double, then rounded.</summary>
    public float OneMinusBeta2 { get; }

    /// <summary>eps, added to the corrected square root of v.</summary>
    public float Epsilon { get; }

    /// <summary>How weight decay is applied.</summary>
    public AdamDecay Decay { get; }

    /// <summary>The L2 factor added to the gradient (0 unless <see cref="AdamDecay.L2"/>).</summary>
    public float WeightDecay { get; }

    /// <summary>1 - lr weight_decay, by which AdamW scales the values (1 unless <see cref="AdamDecay.Decoupled"/>).</summary>
    public float DecayFactor { get; }

    /// <summary>lr / (1 - b1^t).</summary>
    public float StepSize { get; }

    /// <summary>1 / sqrt(1 - b2^t).</summary>
    public float InverseCorrection2 { get; }
}
