using System;
using System.Globalization;

namespace NetGen;

/// <summary>The kind of learning-rate schedule a <see cref="ScheduleSettings"/> describes (the <c>"type"</c> of nets.json's <c>"schedule"</c>).</summary>
public enum ScheduleKind
{
    /// <summary><c>"step"</c>: <see cref="StepLR"/>, per epoch.</summary>
    Step,

    /// <summary><c>"exponential"</c>: <see cref="ExponentialLR"/>, per epoch.</summary>
    Exponential,

    /// <summary><c>"cosine"</c>: <see cref="CosineAnnealingLR"/>, per epoch.</summary>
    Cosine,

    /// <summary><c>"warmup_cosine"</c>: <see cref="SequentialLR.WarmupCosine"/>, per optimizer step.</summary>
    WarmupCosine,

    /// <summary><c>"reduce_on_plateau"</c>: <see cref="ReduceLROnPlateau"/>, per epoch with the validation loss.</summary>
    ReduceOnPlateau,
}

/// <summary>
/// A learning-rate schedule as a spec gives it (<c>"schedule"</c> in nets.json's <c>"training"</c>): its kind and settings,
/// immutable, with PyTorch's argument names. A <see cref="LearningRateSchedule"/> holds a run's state, so each run makes its
/// own with <see cref="Create"/>, which also fills in what only the run knows (the epochs, the steps per epoch).
/// </summary>
/// <remarks>Only the settings of <see cref="Kind"/> mean anything; the others keep their defaults.</remarks>
public sealed record ScheduleSettings
{
    private ScheduleSettings(ScheduleKind kind) => Kind = kind;

    /// <summary>Which schedule.</summary>
    public ScheduleKind Kind { get; }

    /// <summary><see cref="ScheduleKind.Step"/>: epochs between decays (PyTorch's <c>step_size</c>).</summary>
    public int StepSize { get; private init; }

    /// <summary><see cref="ScheduleKind.Step"/> and <see cref="ScheduleKind.Exponential"/>: the factor of each decay (<c>gamma</c>).</summary>
    public double Gamma { get; private init; }

    /// <summary><see cref="ScheduleKind.Cosine"/>: epochs from the base rate to the minimum (<c>T_max</c>); null means the run's epochs.</summary>
    public int? TMax { get; private init; }

    /// <summary><see cref="ScheduleKind.Cosine"/> and <see cref="ScheduleKind.WarmupCosine"/>: the minimum rate (<c>eta_min</c>).</summary>
    public double EtaMin { get; private init; }

    /// <summary><see cref="ScheduleKind.WarmupCosine"/>: optimizer steps of the linear warmup.</summary>
    public int WarmupSteps { get; private init; }

    /// <summary><see cref="ScheduleKind.WarmupCosine"/>: the rate's factor at the first step (LinearLR's <c>start_factor</c>).</summary>
    public double StartFactor { get; private init; }

    /// <summary><see cref="ScheduleKind.ReduceOnPlateau"/>: the factor of each reduction (<c>factor</c>).</summary>
    public double Factor { get; private init; }

    /// <summary><see cref="ScheduleKind.ReduceOnPlateau"/>: epochs without improvement tolerated before a reduction (<c>patience</c>).</summary>
    public int Patience { get; private init; }

    /// <summary><see cref="ScheduleKind.ReduceOnPlateau"/>: the least relative improvement that counts (<c>threshold</c>).</summary>
    public double Threshold { get; private init; }

    /// <summary><see cref="ScheduleKind.ReduceOnPlateau"/>: epochs after a reduction that are not counted (<c>cooldown</c>).</summary>
    public int Cooldown { get; private init; }

    /// <summary><see cref="ScheduleKind.ReduceOnPlateau"/>: the lowest rate (<c>min_lr</c>).</summary>
    public double MinLr { get; private init; }

    /// <summary>PyTorch's <c>StepLR(step_size, gamma)</c>: the rate times <paramref name="gamma"/> every <paramref name="stepSize"/> epochs.</summary>
    /// <param name="stepSize">Epochs between decays: 1 or more.</param>
    /// <param name="gamma">The factor of each decay: finite and more than 0.</param>
    public static ScheduleSettings Step(int stepSize, double gamma = 0.1)
    {
        if (stepSize < 1) throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, "The step size must be 1 or more.");
        CheckPositive(gamma, nameof(gamma), "Gamma");
        return new ScheduleSettings(ScheduleKind.Step) { StepSize = stepSize, Gamma = gamma };
    }

    /// <summary>PyTorch's <c>ExponentialLR(gamma)</c>: the rate times <paramref name="gamma"/> after every epoch.</summary>
    /// <param name="gamma">The factor of each decay: finite and more than 0.</param>
    public static ScheduleSettings Exponential(double gamma)
    {
        CheckPositive(gamma, nameof(gamma), "Gamma");
        return new ScheduleSettings(ScheduleKind.Exponential) { Gamma = gamma };
    }

    /// <summary>PyTorch's <c>CosineAnnealingLR(T_max, eta_min)</c>, per epoch.</summary>
    /// <param name="tMax">Epochs from the base rate to the minimum: 1 or more; null means the run's epochs.</param>
    /// <param name="etaMin">The minimum rate: finite, 0 or more.</param>
    public static ScheduleSettings Cosine(int? tMax = null, double etaMin = 0)
    {
        if (tMax < 1) throw new ArgumentOutOfRangeException(nameof(tMax), tMax, "T_max must be 1 or more.");
        CheckAtLeastZero(etaMin, nameof(etaMin), "The minimum rate");
        return new ScheduleSettings(ScheduleKind.Cosine) { TMax = tMax, EtaMin = etaMin };
    }

    /// <summary>
    /// Linear warmup then cosine annealing, per optimizer step (<see cref="SequentialLR.WarmupCosine"/>): from the base rate times
    /// <paramref name="startFactor"/> up to the base rate in <paramref name="warmupSteps"/> steps, then down to
    /// <paramref name="etaMin"/> at the run's last step.
    /// </summary>
    /// <param name="warmupSteps">Optimizer steps of warmup: 1 or more (and fewer than the run's steps).</param>
    /// <param name="startFactor">The rate's factor at the first step: more than 0, at most 1.</param>
    /// <param name="etaMin">The rate at the end: finite, 0 or more.</param>
    public static ScheduleSettings WarmupCosine(int warmupSteps, double startFactor = 1.0 / 3, double etaMin = 0)
    {
        if (warmupSteps < 1) throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps, "The warmup takes 1 step or more.");
        if (!(startFactor > 0 && startFactor <= 1)) throw new ArgumentOutOfRangeException(nameof(startFactor), startFactor, "The start factor must be more than 0 and at most 1.");
        CheckAtLeastZero(etaMin, nameof(etaMin), "The minimum rate");
        return new ScheduleSettings(ScheduleKind.WarmupCosine) { WarmupSteps = warmupSteps, StartFactor = startFactor, EtaMin = etaMin };
    }

    /// <summary>PyTorch's <c>ReduceLROnPlateau(mode="min", factor, patience, threshold, cooldown, min_lr)</c> on the validation loss.</summary>
    /// <param name="factor">The factor of each reduction: more than 0, less than 1.</param>
    /// <param name="patience">Epochs without improvement tolerated: 0 or more.</param>
    /// <param name="threshold">The least relative improvement that counts: finite, 0 or more.</param>
    /// <param name="cooldown">Epochs after a reduction that are not counted: 0 or more.</param>
    /// <param name="minLr">The lowest rate: finite, 0 or more.</param>
    public static ScheduleSettings ReduceOnPlateau(double factor = 0.1, int patience = 10, double threshold = 1e-4, int cooldown = 0, double minLr = 0)
    {
        if (!(factor > 0 && factor < 1)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "The factor must be more than 0 and less than 1.");
        if (patience < 0) throw new ArgumentOutOfRangeException(nameof(patience), patience, "The patience must be 0 or more.");
        CheckAtLeastZero(threshold, nameof(threshold), "The threshold");
        if (cooldown < 0) throw new ArgumentOutOfRangeException(nameof(cooldown), cooldown, "The cooldown must be 0 or more.");
        CheckAtLeastZero(minLr, nameof(minLr), "The minimum rate");
        return new ScheduleSettings(ScheduleKind.ReduceOnPlateau) { Factor = factor, Patience = patience, Threshold = threshold, Cooldown = cooldown, MinLr = minLr };
    }

    /// <summary>A new schedule with these settings for a run of <paramref name="epochs"/> epochs of <paramref name="stepsPerEpoch"/> optimizer steps each.</summary>
    /// <param name="epochs">The run's epochs (all of them, also when it resumes): <see cref="ScheduleKind.Cosine"/> without <see cref="TMax"/> anneals over them.</param>
    /// <param name="stepsPerEpoch">Optimizer steps per epoch: <see cref="ScheduleKind.WarmupCosine"/> ends at step <c>epochs * stepsPerEpoch</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 1 epoch or step, or a warmup as long as the run or longer.</exception>
    public LearningRateSchedule Create(int epochs, int stepsPerEpoch)
    {
        if (epochs < 1) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "A run has 1 epoch or more.");
        if (stepsPerEpoch < 1) throw new ArgumentOutOfRangeException(nameof(stepsPerEpoch), stepsPerEpoch, "An epoch has 1 step or more.");
        switch (Kind)
        {
            case ScheduleKind.Step: return new StepLR(StepSize, Gamma);
            case ScheduleKind.Exponential: return new ExponentialLR(Gamma);
            case ScheduleKind.Cosine: return new CosineAnnealingLR(TMax ?? epochs, EtaMin);
            case ScheduleKind.ReduceOnPlateau: return new ReduceLROnPlateau(PlateauMode.Min, Factor, Patience, Threshold, PlateauThresholdMode.Relative, Cooldown, MinLr);
            default:
                long total = (long)epochs * stepsPerEpoch;
                if (total > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(stepsPerEpoch), total, "The run's steps (epochs times steps per epoch) must fit in an int.");
                if (total <= WarmupSteps)
                {
                    throw new ArgumentOutOfRangeException(nameof(epochs), epochs,
                        $"The warmup of {WarmupSteps} steps needs a longer run than {epochs} epochs of {stepsPerEpoch} steps ({total} steps).");
                }
                return SequentialLR.WarmupCosine(WarmupSteps, (int)total, StartFactor, EtaMin);
        }
    }

    /// <summary>The schedule in nets.json's words, e.g. <c>step(step_size=30, gamma=0.1)</c> or <c>cosine(t_max=epochs, eta_min=0)</c>.</summary>
    public string Describe() => Kind switch
    {
        ScheduleKind.Step => $"step(step_size={StepSize}, gamma={Format(Gamma)})",
        ScheduleKind.Exponential => $"exponential(gamma={Format(Gamma)})",
        ScheduleKind.Cosine => $"cosine(t_max={(TMax is int t ? t.ToString(CultureInfo.InvariantCulture) : "epochs")}, eta_min={Format(EtaMin)})",
        ScheduleKind.WarmupCosine => $"warmup_cosine(warmup_steps={WarmupSteps}, start_factor={Format(StartFactor)}, eta_min={Format(EtaMin)})",
        _ => $"reduce_on_plateau(factor={Format(Factor)}, patience={Patience}, threshold={Format(Threshold)}, cooldown={Cooldown}, min_lr={Format(MinLr)})",
    };

    /// <inheritdoc cref="Describe"/>
    public override string ToString() => Describe();

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture).Replace('E', 'e');

    private static void CheckPositive(double value, string parameter, string what)
    {
        if (!double.IsFinite(value) || value <= 0) throw new ArgumentOutOfRangeException(parameter, value, $"{what} must be finite and more than 0.");
    }

    private static void CheckAtLeastZero(double value, string parameter, string what)
    {
        if (!double.IsFinite(value) || value < 0) throw new ArgumentOutOfRangeException(parameter, value, $"{what} must be finite and 0 or more.");
    }
}
