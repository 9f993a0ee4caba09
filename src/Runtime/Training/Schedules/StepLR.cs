using System;

namespace NetGen;

/// <summary>
/// PyTorch's <c>StepLR</c>: the rate is multiplied by <see cref="Gamma"/> every <see cref="StepSize"/> epochs (or steps):
/// <c>base * gamma^(epoch / stepSize)</c>, computed as PyTorch does, one multiplication at each boundary.
/// </summary>
public sealed class StepLR : LearningRateSchedule
{
    /// <summary>Creates the schedule with PyTorch's settings and defaults.</summary>
    /// <param name="stepSize">Epochs (or steps) between decays: 1 or more.</param>
    /// <param name="gamma">The factor of each decay: finite and more than 0 (PyTorch's default 0.1).</param>
    public StepLR(int stepSize, double gamma = 0.1)
    {
        if (stepSize < 1) throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, "The step size must be 1 or more.");
        if (!double.IsFinite(gamma) || gamma <= 0) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "Gamma must be finite and more than 0.");
        StepSize = stepSize;
        Gamma = gamma;
    }

    /// <summary>Epochs (or steps) between decays (PyTorch's <c>step_size</c>).</summary>
    public int StepSize { get; }

    /// <summary>The factor of each decay (PyTorch's <c>gamma</c>).</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public override string Describe() => $"step_lr(step_size={StepSize}, gamma={Format(Gamma)})";

    private protected override string Name => "step_lr";

    internal override bool IsChainable => true;

    internal override double ChainedRate(long epoch, double current, double baseRate) =>
        epoch == 0 || epoch % StepSize != 0 ? current : current * Gamma;

    internal override double ClosedFormRate(long epoch, double baseRate) => baseRate * Math.Pow(Gamma, epoch / StepSize);
}
