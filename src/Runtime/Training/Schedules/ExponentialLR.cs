using System;

namespace NetGen;

/// <summary>
/// PyTorch's <c>ExponentialLR</c>: the rate is multiplied by <see cref="Gamma"/> after every epoch (or step),
/// <c>base * gamma^epoch</c> computed as PyTorch does, one multiplication at a time.
/// </summary>
public sealed class ExponentialLR : LearningRateSchedule
{
    /// <summary>Creates the schedule with PyTorch's settings.</summary>
    /// <param name="gamma">The factor of each decay: finite and more than 0.</param>
    public ExponentialLR(double gamma)
    {
        if (!double.IsFinite(gamma) || gamma <= 0) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "Gamma must be finite and more than 0.");
        Gamma = gamma;
    }

    /// <summary>The factor of each decay (PyTorch's <c>gamma</c>).</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public override string Describe() => $"exponential_lr(gamma={Format(Gamma)})";

    private protected override string Name => "exponential_lr";

    internal override bool IsChainable => true;

    internal override double ChainedRate(long epoch, double current, double baseRate) => epoch == 0 ? current : current * Gamma;

    internal override double ClosedFormRate(long epoch, double baseRate) => baseRate * Math.Pow(Gamma, epoch);
}
