using System;

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
    /// <summary>Where a run with <paramref name="seed"/> starts.</summary>
    public static TrainingPosition Start(int seed) => new(1, 0, TrainingLoop.ShuffleSource(seed).GetState());
}

/// <summary>Progress after one optimizer step.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Epochs">Epochs in the run.</param>
/// <param name="Step">1-based step within the epoch.</param>
/// <param name="Steps">Steps per epoch.</param>
/// <param name="Loss">This step's batch loss.</param>
/// <param name="MeanLoss">Mean batch loss of the epoch so far (of this run's steps, when resumed mid-epoch).</param>
/// <param name="Position">Where the run stands after this step (for a checkpoint).</param>
public readonly record struct StepProgress(int Epoch, int Epochs, int Step, int Steps, double Loss, double MeanLoss, TrainingPosition Position);

/// <summary>Thrown when a training step's loss is NaN or infinite: the weights are no longer usable.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for <paramref name="loss"/> at a step.</summary>
    public TrainingDivergedException(int epoch, int step, double loss)
        : base(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"the loss became {loss} at epoch {epoch}, step {step}; the weights are no longer usable. Train again with a lower learning rate (--lr)."))
    {
        Epoch = epoch;
        Step = step;
        Loss = loss;
    }

    /// <summary>1-based epoch of the step.</summary>
    public int Epoch { get; }

    /// <summary>1-based step within the epoch.</summary>
    public int Step { get; }

    /// <summary>The loss that was not finite.</summary>
    public double Loss { get; }
}
