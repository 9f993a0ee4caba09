namespace NetGen;

/// <summary>Settings of one training run; anything left null comes from the network's spec.</summary>
public sealed record TrainingOptions
{
    /// <summary>Passes over the training set; null means the spec's <c>epochs</c>.</summary>
    public int? Epochs { get; init; }

    /// <summary>Rows per optimizer step; null means the spec's <c>batch_size</c>. At most the network's <see cref="INetwork.MaxBatchSize"/>.</summary>
    public int? BatchSize { get; init; }

    /// <summary>Seed of the per-epoch shuffle; null means the network's <see cref="INetwork.Seed"/>.</summary>
    public int? Seed { get; init; }

    /// <summary>Where to continue a run (from a checkpoint); null starts at epoch 1. The network must hold the weights,
    /// optimizer state and step count saved at that position.</summary>
    public TrainingPosition? Resume { get; init; }

    /// <summary>Called after every optimizer step, e.g. for a progress bar (keep it cheap).</summary>
    public System.Action<StepProgress>? OnStep { get; init; }

    /// <summary>
    /// The learning-rate schedule (<see cref="StepLR"/>, <see cref="CosineAnnealingLR"/>, <see cref="SequentialLR.WarmupCosine"/>,
    /// <see cref="ReduceLROnPlateau"/>, ...): started from the network's <see cref="INetwork.LearningRate"/> (the spec's
    /// <c>lr</c>), advanced after every epoch or step as its <see cref="LearningRateSchedule.Unit"/> says. ReduceLROnPlateau
    /// watches the validation loss (the training loss without validation rows). Null means the spec's <c>schedule</c>
    /// (<see cref="TrainingDefaults.Schedule"/>, created for the run), and a fixed rate if it has none.
    /// </summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>
    /// Clips the gradients by their global L2 norm before each optimizer step, as PyTorch's <c>clip_grad_norm_(parameters,
    /// max_norm)</c> (<see cref="GradientClipping.ClipByGlobalNorm"/>); null means the spec's <c>clip_grad_norm</c>, and no
    /// clipping if it has none.
    /// </summary>
    public double? ClipNorm { get; init; }

    /// <summary>
    /// Early stopping (<see cref="Trainer.Fit"/> with validation rows): stop after this many epochs in a row without a validation
    /// loss lower than the best by more than <see cref="MinDelta"/>. Null means the spec's <c>early_stopping</c> when there
    /// are validation rows (without them the spec's early stopping is left out), and training every epoch if it has none.
    /// </summary>
    public int? Patience { get; init; }

    /// <summary>How much lower than the best a validation loss must be to count as better; null means the spec's
    /// <c>min_delta</c> (0 by default, as Keras' <c>min_delta</c>).</summary>
    public double? MinDelta { get; init; }

    /// <summary>With early stopping, whether the network ends with the weights of its best epoch; null means the spec's
    /// <c>restore_best</c> (true by default, as Keras' <c>restore_best_weights=True</c>). False leaves the last epoch's.</summary>
    public bool? RestoreBest { get; init; }
}
