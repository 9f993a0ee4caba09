namespace NetGen.Generator.Language;

/// <summary>The learning-rate schedules of <c>"schedule"</c> (PyTorch's <c>torch.optim.lr_scheduler</c> of the same name).</summary>
internal enum ScheduleType
{
    /// <summary><c>StepLR(step_size, gamma)</c>, per epoch.</summary>
    Step,

    /// <summary><c>ExponentialLR(gamma)</c>, per epoch.</summary>
    Exponential,

    /// <summary><c>CosineAnnealingLR(T_max, eta_min)</c>, per epoch; T_max defaults to the run's epochs.</summary>
    Cosine,

    /// <summary><c>LinearLR</c> warmup then <c>CosineAnnealingLR</c> to the run's last optimizer step, per step.</summary>
    WarmupCosine,

    /// <summary><c>ReduceLROnPlateau(mode="min", ...)</c> on the validation loss, per epoch.</summary>
    ReduceOnPlateau,
}

/// <summary>
/// A <c>"schedule"</c>: its kind and settings, PyTorch's defaults where the spec is silent. Only the settings of
/// <see cref="Kind"/> mean anything.
/// </summary>
internal sealed record Schedule(ScheduleType Kind)
{
    public int StepSize { get; init; }
    public double Gamma { get; init; }

    /// <summary>Null: the run's epochs.</summary>
    public int? TMax { get; init; }

    public double EtaMin { get; init; }
    public int WarmupSteps { get; init; }
    public double StartFactor { get; init; }
    public double Factor { get; init; }
    public int Patience { get; init; }
    public double Threshold { get; init; }
    public int Cooldown { get; init; }
    public double MinLr { get; init; }
}

/// <summary>An <c>"early_stopping"</c>: stop after <paramref name="Patience"/> epochs without a validation loss lower than the best by more than <paramref name="MinDelta"/>.</summary>
internal sealed record EarlyStopping(int Patience, double MinDelta, bool RestoreBest);
