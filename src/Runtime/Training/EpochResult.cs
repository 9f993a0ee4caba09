using System;

namespace NetGen;

/// <summary>What one epoch of training did.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Epochs">Epochs in the run.</param>
/// <param name="Loss">Mean of the batch losses over the epoch (as PyTorch scripts usually report it).</param>
/// <param name="Steps">Optimizer steps in the epoch.</param>
/// <param name="Elapsed">Wall-clock time of the epoch.</param>
/// <param name="Position">Where the run stands after this epoch (the next epoch's start), for a checkpoint.</param>
public readonly record struct EpochResult(int Epoch, int Epochs, double Loss, int Steps, TimeSpan Elapsed, TrainingPosition Position)
{
    /// <summary>The loss and metrics on the validation rows after the epoch; null without validation rows.</summary>
    public ValidationResult? Validation { get; init; }

    /// <summary>The learning rate of the epoch's last step.</summary>
    public double LearningRate { get; init; }

    /// <summary>Whether the epoch has the lowest validation loss so far (early stopping keeps its weights; save the best model now).</summary>
    public bool IsBest { get; init; }
}
