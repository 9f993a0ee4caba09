using System;

namespace NetGen;

/// <summary>
/// PyTorch's <c>CosineAnnealingLR</c>: from the base rate down to <see cref="EtaMin"/> along half a cosine over
/// <see cref="TMax"/> epochs (or steps), <c>etaMin + (base - etaMin) * (1 + cos(pi * epoch / tMax)) / 2</c>; past
/// <see cref="TMax"/> it rises again (period <c>2 * tMax</c>), as PyTorch's does.
/// </summary>
/// <remarks>
/// Computed with PyTorch's recursive form, not the formula above: each step scales the distance of the current rate from
/// <see cref="EtaMin"/> by <c>(1 + cos(pi * epoch / tMax)) / (1 + cos(pi * (epoch - 1) / tMax))</c>, and the step after a
/// minimum (where that ratio would divide by 0) adds <c>(base - etaMin) * (1 - cos(pi / tMax)) / 2</c>. The two differ in
/// the last bits; this one is PyTorch's.
/// </remarks>
public sealed class CosineAnnealingLR : LearningRateSchedule
{
    /// <summary>Creates the schedule with PyTorch's settings and defaults.</summary>
    /// <param name="tMax">Epochs (or steps) from the base rate to the minimum (PyTorch's <c>T_max</c>): 1 or more.</param>
    /// <param name="etaMin">The minimum rate (PyTorch's <c>eta_min</c>, default 0): finite, 0 or more.</param>
    public CosineAnnealingLR(int tMax, double etaMin = 0)
    {
        if (tMax < 1) throw new ArgumentOutOfRangeException(nameof(tMax), tMax, "T_max must be 1 or more.");
        if (!double.IsFinite(etaMin) || etaMin < 0) throw new ArgumentOutOfRangeException(nameof(etaMin), etaMin, "The minimum rate must be finite and 0 or more.");
        TMax = tMax;
        EtaMin = etaMin;
    }

    /// <summary>Epochs (or steps) from the base rate to the minimum (PyTorch's <c>T_max</c>).</summary>
    public int TMax { get; }

    /// <summary>The minimum rate (PyTorch's <c>eta_min</c>).</summary>
    public double EtaMin { get; }

    /// <inheritdoc/>
    public override string Describe() => $"cosine_annealing_lr(T_max={TMax}, eta_min={Format(EtaMin)})";

    private protected override string Name => "cosine_annealing_lr";

    internal override bool IsChainable => true;

    internal override double ChainedRate(long epoch, double current, double baseRate)
    {
        // torch 1.13 CosineAnnealingLR.get_lr(), term for term (the same operations in the same order). Its second branch,
        // `_step_count == 1 and last_epoch > 0` (the closed form), is only reached by a scheduler constructed with
        // last_epoch >= 0; a started schedule here always begins at epoch 0, and SequentialLR enters it with step(0).
        if (epoch == 0) return current;
        if (FloorMod(epoch - 1 - TMax, 2L * TMax) == 0)
            return current + (baseRate - EtaMin) * (1 - Math.Cos(Math.PI / TMax)) / 2;
        return (1 + Math.Cos(Math.PI * epoch / TMax)) / (1 + Math.Cos(Math.PI * (epoch - 1) / TMax)) * (current - EtaMin) + EtaMin;
    }

    internal override double ClosedFormRate(long epoch, double baseRate) =>
        EtaMin + (baseRate - EtaMin) * (1 + Math.Cos(Math.PI * epoch / TMax)) / 2;
}
