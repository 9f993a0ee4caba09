using System.Collections.Generic;

namespace NetGen;

/// <summary>
/// Where a training run stands, exactly enough to continue it bit for bit: the epoch under way, the steps of it
/// already taken, and the shuffle's random state at that epoch's start (its order is drawn from it again).
/// </summary>
/// <param name="Epoch">The 1-based epoch to continue (one past the last when the run is complete).</param>
/// <param name="StepInEpoch">Steps of that epoch already taken (their batches are skipped when resuming).</param>
/// <param name="ShuffleState">The state of the shuffling <see cref="RandomSource"/> at that epoch's start.</param>
public sealed record TrainingPosition(int Epoch, int StepInEpoch, ulong[] ShuffleState)
{
    // Init-only rather than positional, so that the constructor of 0.1.0 stays as it was.

    /// <summary>
    /// The batch size of the run's steps, which <see cref="StepInEpoch"/> counts (1 or more); null if unknown (a file saved
    /// by 0.1.0, a position made by hand). Mid-epoch, a run continues only with the same batch size.
    /// </summary>
    public int? BatchSize { get; init; }

    /// <summary>
    /// The rows (images) of the training set the run's epochs go over, whose shuffled order <see cref="StepInEpoch"/> walks
    /// (1 or more); null if unknown (files saved before it was recorded). Mid-epoch, a run continues only on as many rows.
    /// </summary>
    public int? TrainingRows { get; init; }

    /// <summary>
    /// The learning-rate schedule's state (<see cref="LearningRateSchedule.GetState"/>) at this position, so a resumed run
    /// continues its rates bit for bit; null for a run without a schedule.
    /// </summary>
    public double[]? ScheduleState { get; init; }

    /// <summary>
    /// Early stopping's count at this position: the best validation loss so far, its epoch (0: none yet) and the epochs since
    /// it (<see cref="TrainingOptions.Patience"/>); null for a run without validation rows.
    /// </summary>
    public (double BestLoss, int BestEpoch, int EpochsSinceBest)? EarlyStopping { get; init; }

    /// <summary>
    /// The values of the network's <see cref="INetwork.Parameters"/> then <see cref="INetwork.Buffers"/> at the best epoch so
    /// far, when early stopping will restore them (<see cref="TrainingOptions.RestoreBest"/>) and they are not the network's
    /// own; null otherwise. A position reported by <see cref="Trainer.Fit"/> shares these arrays with the running fit: save
    /// the position (<see cref="ModelFile.Save(string, INetwork, TrainingPosition?)"/> keeps them as <c>best.NAME</c> tensors)
    /// before the fit goes on.
    /// </summary>
    public IReadOnlyList<float[]>? BestWeights { get; init; }

    /// <summary>Where a run with <paramref name="seed"/> starts.</summary>
    public static TrainingPosition Start(int seed) => new(1, 0, TrainingLoop.ShuffleSource(seed).GetState());
}
