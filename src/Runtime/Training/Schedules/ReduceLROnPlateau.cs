using System;

namespace NetGen;

/// <summary>Whether <see cref="ReduceLROnPlateau"/> waits for its metric to fall or to rise (PyTorch's <c>mode</c>).</summary>
public enum PlateauMode
{
    /// <summary>Lower is better (a loss): PyTorch's <c>"min"</c>.</summary>
    Min = 0,

    /// <summary>Higher is better (an accuracy): PyTorch's <c>"max"</c>.</summary>
    Max = 1,
}

/// <summary>How <see cref="ReduceLROnPlateau"/> measures an improvement against its threshold (PyTorch's <c>threshold_mode</c>).</summary>
public enum PlateauThresholdMode
{
    /// <summary>By a fraction of the best value: in <see cref="PlateauMode.Min"/> mode better than <c>best * (1 - threshold)</c>; PyTorch's <c>"rel"</c>.</summary>
    Relative = 0,

    /// <summary>By an amount: in <see cref="PlateauMode.Min"/> mode better than <c>best - threshold</c>; PyTorch's <c>"abs"</c>.</summary>
    Absolute = 1,
}

/// <summary>
/// PyTorch's <c>ReduceLROnPlateau</c>: advanced once per epoch with the validation loss, it multiplies the rate by
/// <see cref="Factor"/> when the loss has not improved (by more than <see cref="Threshold"/>) for more than
/// <see cref="Patience"/> epochs, then waits <see cref="Cooldown"/> epochs before counting again; never below
/// <see cref="MinLr"/>, and not at all when the change would be <see cref="Eps"/> or less.
/// </summary>
/// <remarks>
/// The defaults are PyTorch's: mode min, factor 0.1, patience 10, threshold 1e-4 relative, cooldown 0, min_lr 0, eps 1e-8.
/// <see cref="LearningRateSchedule.Advance"/> requires the metric: a NaN is refused (PyTorch would count it as an epoch
/// without improvement), since a plateau schedule fed no validation loss would only ever lower the rate.
/// </remarks>
public sealed class ReduceLROnPlateau : LearningRateSchedule
{
    private double _best;
    private long _badEpochs;
    private long _cooldownCounter;

    /// <summary>Creates the schedule with PyTorch's settings and defaults.</summary>
    /// <param name="mode">Whether lower (<see cref="PlateauMode.Min"/>, a loss) or higher values are better.</param>
    /// <param name="factor">The factor of each reduction: more than 0, less than 1.</param>
    /// <param name="patience">Epochs without improvement tolerated; the next one reduces the rate: 0 or more.</param>
    /// <param name="threshold">The least improvement that counts (a fraction or an amount, by <paramref name="thresholdMode"/>): finite, 0 or more.</param>
    /// <param name="thresholdMode">Whether <paramref name="threshold"/> is relative to the best value or absolute.</param>
    /// <param name="cooldown">Epochs after a reduction in which epochs without improvement are not counted: 0 or more.</param>
    /// <param name="minLr">The lowest rate: finite, 0 or more.</param>
    /// <param name="eps">A reduction smaller than or equal to this is skipped: finite, 0 or more.</param>
    public ReduceLROnPlateau(PlateauMode mode = PlateauMode.Min, double factor = 0.1, int patience = 10, double threshold = 1e-4,
        PlateauThresholdMode thresholdMode = PlateauThresholdMode.Relative, int cooldown = 0, double minLr = 0, double eps = 1e-8)
    {
        if (!Enum.IsDefined(mode)) throw new ArgumentOutOfRangeException(nameof(mode), mode, "The mode is Min or Max.");
        if (!(factor > 0 && factor < 1)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "The factor must be more than 0 and less than 1.");
        if (patience < 0) throw new ArgumentOutOfRangeException(nameof(patience), patience, "The patience must be 0 or more.");
        if (!double.IsFinite(threshold) || threshold < 0)
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold must be finite and 0 or more.");
        if (!Enum.IsDefined(thresholdMode)) throw new ArgumentOutOfRangeException(nameof(thresholdMode), thresholdMode, "The threshold mode is Relative or Absolute.");
        if (cooldown < 0) throw new ArgumentOutOfRangeException(nameof(cooldown), cooldown, "The cooldown must be 0 or more.");
        if (!double.IsFinite(minLr) || minLr < 0) throw new ArgumentOutOfRangeException(nameof(minLr), minLr, "The minimum rate must be finite and 0 or more.");
        if (!double.IsFinite(eps) || eps < 0) throw new ArgumentOutOfRangeException(nameof(eps), eps, "Eps must be finite and 0 or more.");
        Mode = mode;
        Factor = factor;
        Patience = patience;
        Threshold = threshold;
        ThresholdMode = thresholdMode;
        Cooldown = cooldown;
        MinLr = minLr;
        Eps = eps;
    }

    /// <summary>Whether lower or higher values of the metric are better (PyTorch's <c>mode</c>).</summary>
    public PlateauMode Mode { get; }

    /// <summary>The factor of each reduction (PyTorch's <c>factor</c>).</summary>
    public double Factor { get; }

    /// <summary>Epochs without improvement tolerated before a reduction (PyTorch's <c>patience</c>).</summary>
    public int Patience { get; }

    /// <summary>The least improvement that counts (PyTorch's <c>threshold</c>).</summary>
    public double Threshold { get; }

    /// <summary>Whether <see cref="Threshold"/> is relative or absolute (PyTorch's <c>threshold_mode</c>).</summary>
    public PlateauThresholdMode ThresholdMode { get; }

    /// <summary>Epochs after a reduction in which none counts as without improvement (PyTorch's <c>cooldown</c>).</summary>
    public int Cooldown { get; }

    /// <summary>The lowest rate (PyTorch's <c>min_lr</c>).</summary>
    public double MinLr { get; }

    /// <summary>The least reduction that is made (PyTorch's <c>eps</c>).</summary>
    public double Eps { get; }

    /// <inheritdoc/>
    public override string Describe() =>
        $"reduce_lr_on_plateau(mode={(Mode == PlateauMode.Min ? "min" : "max")}, factor={Format(Factor)}, patience={Patience}, " +
        $"threshold={Format(Threshold)}, threshold_mode={(ThresholdMode == PlateauThresholdMode.Relative ? "rel" : "abs")}, " +
        $"cooldown={Cooldown}, min_lr={Format(MinLr)}, eps={Format(Eps)})";

    private protected override string Name => "reduce_lr_on_plateau";

    private protected override bool EpochOnly => true;

    // State: the rate, best, num_bad_epochs, cooldown_counter and last_epoch (PyTorch's state_dict, less the settings).
    private protected override int StateLength => 5;

    private double Worst => Mode == PlateauMode.Min ? double.PositiveInfinity : double.NegativeInfinity;

    private protected override void StartCore(double baseRate)
    {
        Rate = baseRate;
        Epoch = 0;
        _best = Worst;
        _badEpochs = 0;
        _cooldownCounter = 0;
    }

    private protected override void AdvanceCore(double metric)
    {
        if (double.IsNaN(metric))
            throw new ArgumentException("ReduceLROnPlateau is advanced with the epoch's validation loss (or the metric it watches); got NaN.", nameof(metric));
        // torch 1.13 ReduceLROnPlateau.step(metrics), line for line.
        Epoch++;
        if (IsBetter(metric, _best))
        {
            _best = metric;
            _badEpochs = 0;
        }
        else
        {
            _badEpochs++;
        }
        if (_cooldownCounter > 0)
        {
            _cooldownCounter--;
            _badEpochs = 0; // PyTorch ignores bad epochs in cooldown
        }
        if (_badEpochs > Patience)
        {
            // _reduce_lr: new = max(old * factor, min_lr), taken only if old - new > eps.
            double old = Rate;
            double reduced = Math.Max(old * Factor, MinLr);
            if (old - reduced > Eps) Rate = reduced;
            _cooldownCounter = Cooldown;
            _badEpochs = 0;
        }
    }

    private bool IsBetter(double a, double best) => (Mode, ThresholdMode) switch
    {
        (PlateauMode.Min, PlateauThresholdMode.Relative) => a < best * (1.0 - Threshold),
        (PlateauMode.Min, PlateauThresholdMode.Absolute) => a < best - Threshold,
        (PlateauMode.Max, PlateauThresholdMode.Relative) => a > best * (Threshold + 1.0),
        _ => a > best + Threshold,
    };

    private protected override void WriteState(Span<double> state)
    {
        state[0] = Rate;
        state[1] = _best;
        state[2] = _badEpochs;
        state[3] = _cooldownCounter;
        state[4] = Epoch;
    }

    private protected override void ReadState(ReadOnlySpan<double> state)
    {
        double rate = state[0], best = state[1], bad = state[2], cooldown = state[3], epoch = state[4];
        if (!double.IsFinite(rate) || rate < 0) throw BadState("rate", rate);
        if (double.IsNaN(best)) throw BadState("best value", best);
        if (!IsCount(bad) || bad > Patience) throw BadState("bad epoch count", bad);
        if (!IsCount(cooldown) || cooldown > Cooldown) throw BadState("cooldown counter", cooldown);
        if (!IsCount(epoch)) throw BadState("epoch", epoch);
        Rate = rate;
        _best = best;
        _badEpochs = (long)bad;
        _cooldownCounter = (long)cooldown;
        Epoch = (long)epoch;
    }
}
