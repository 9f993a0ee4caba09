using System;

namespace NetGen;

/// <summary>
/// PyTorch's <c>LinearLR</c>: the rate goes linearly from <c>base * startFactor</c> (epoch 0) to <c>base * endFactor</c>
/// (epoch <see cref="TotalIters"/>) and stays there; with the defaults a warmup from a third of the rate over 5 epochs (or steps).
/// </summary>
/// <remarks>
/// Computed with PyTorch's recursive form: each step multiplies the current rate by
/// <c>1 + (endFactor - startFactor) / (totalIters * startFactor + (epoch - 1) * (endFactor - startFactor))</c>.
/// </remarks>
public sealed class LinearLR : LearningRateSchedule
{
    /// <summary>Creates the schedule with PyTorch's settings and defaults.</summary>
    /// <param name="startFactor">
    /// The rate's factor at epoch 0: more than 0, at most 1 (PyTorch accepts 0, then divides by zero at the first step).
    /// </param>
    /// <param name="endFactor">The factor from epoch <paramref name="totalIters"/> on: 0 to 1.</param>
    /// <param name="totalIters">Epochs (or steps) to go from one to the other: 1 or more.</param>
    public LinearLR(double startFactor = 1.0 / 3, double endFactor = 1.0, int totalIters = 5)
    {
        if (!(startFactor > 0 && startFactor <= 1))
            throw new ArgumentOutOfRangeException(nameof(startFactor), startFactor, "The start factor must be more than 0 and at most 1.");
        if (!(endFactor >= 0 && endFactor <= 1))
            throw new ArgumentOutOfRangeException(nameof(endFactor), endFactor, "The end factor must be from 0 to 1.");
        if (totalIters < 1) throw new ArgumentOutOfRangeException(nameof(totalIters), totalIters, "The total iterations must be 1 or more.");
        StartFactor = startFactor;
        EndFactor = endFactor;
        TotalIters = totalIters;
    }

    /// <summary>The rate's factor at epoch 0 (PyTorch's <c>start_factor</c>).</summary>
    public double StartFactor { get; }

    /// <summary>The rate's factor from epoch <see cref="TotalIters"/> on (PyTorch's <c>end_factor</c>).</summary>
    public double EndFactor { get; }

    /// <summary>Epochs (or steps) from the start factor to the end factor (PyTorch's <c>total_iters</c>).</summary>
    public int TotalIters { get; }

    /// <inheritdoc/>
    public override string Describe() =>
        $"linear_lr(start_factor={Format(StartFactor)}, end_factor={Format(EndFactor)}, total_iters={TotalIters})";

    private protected override string Name => "linear_lr";

    internal override bool IsChainable => true;

    internal override double ChainedRate(long epoch, double current, double baseRate)
    {
        if (epoch == 0) return current * StartFactor;
        if (epoch > TotalIters) return current;
        return current * (1.0 + (EndFactor - StartFactor) / (TotalIters * StartFactor + (epoch - 1) * (EndFactor - StartFactor)));
    }

    internal override double ClosedFormRate(long epoch, double baseRate) =>
        baseRate * (StartFactor + (EndFactor - StartFactor) * Math.Min(TotalIters, epoch) / TotalIters);
}
