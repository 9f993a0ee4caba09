namespace NetGen;

/// <summary>
/// The training settings a network's spec gives (<c>"training"</c> in nets.json). <see cref="Trainer.Fit"/> uses them for
/// whatever its <see cref="TrainingOptions"/> leave null; <see cref="ValidationSplit"/> is for the caller that chooses the
/// validation rows.
/// </summary>
/// <param name="BatchSize">Rows per optimizer step.</param>
/// <param name="Epochs">Passes over the training set.</param>
/// <param name="Seed">Seed of initialization and shuffling.</param>
public readonly record struct TrainingDefaults(int BatchSize, int Epochs, int Seed)
{
    // Stored inverted, so that RestoreBest is true by default, also in default(TrainingDefaults).
    private readonly bool _keepLastWeights;

    /// <summary>
    /// The fraction of the training rows to hold out for validation when no validation set is given (<c>validation_split</c>),
    /// more than 0 and less than 1; null holds none out. Fit does not split: its caller does, e.g. with
    /// <see cref="Datasets.Split"/> (seeded, stratified).
    /// </summary>
    public double? ValidationSplit { get; init; }

    /// <summary>Early stopping's patience in epochs (<c>early_stopping.patience</c>); null means no early stopping.</summary>
    public int? Patience { get; init; }

    /// <summary>How much lower than the best a validation loss must be to count as better (<c>early_stopping.min_delta</c>, default 0).</summary>
    public double MinDelta { get; init; }

    /// <summary>Whether early stopping ends with the best epoch's weights (<c>early_stopping.restore_best</c>, default true).</summary>
    public bool RestoreBest
    {
        get => !_keepLastWeights;
        init => _keepLastWeights = !value;
    }

    /// <summary>The maximum global L2 norm of the gradients (<c>clip_grad_norm</c>, PyTorch's <c>max_norm</c>); null does not clip.</summary>
    public double? ClipNorm { get; init; }

    /// <summary>The learning-rate schedule (<c>schedule</c>); null keeps the rate fixed.</summary>
    public ScheduleSettings? Schedule { get; init; }
}
