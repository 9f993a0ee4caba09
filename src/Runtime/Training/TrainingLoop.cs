using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace NetGen;

/// <summary>
/// Mini-batch training of a generated network on an <see cref="ImageDataset"/>: each epoch reshuffles
/// the training set from the seed, scales each batch's bytes to [0, 1] and takes one optimizer step per
/// batch (the last batch of an epoch may be smaller, as with PyTorch's DataLoader). It is <see cref="Trainer.Fit"/>
/// without validation rows; use that for other data, validation and early stopping.
/// </summary>
public static class TrainingLoop
{
    /// <summary>Trains <paramref name="network"/> and returns one result per epoch.</summary>
    /// <param name="network">A generated network; its input size must equal the images' pixel count.</param>
    /// <param name="data">The training set.</param>
    /// <param name="options">Epochs, batch size and seed; null fields come from the spec.</param>
    /// <param name="onEpoch">Called after each epoch, e.g. to print progress.</param>
    /// <param name="cancellationToken">Checked between steps; cancelling stops after the current step.</param>
    public static IReadOnlyList<EpochResult> Train(
        INetwork network,
        ImageDataset data,
        TrainingOptions? options = null,
        Action<EpochResult>? onEpoch = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        return Trainer.Fit(network, data, validation: null, options, onEpoch, cancellationToken).Epochs;
    }

    /// <summary>The random source that shuffles the training set each epoch: stream 1 of the seed.</summary>
    internal static RandomSource ShuffleSource(int seed) => new(seed, stream: 1);
}
