using System.Collections.Generic;

namespace NetGen;

/// <summary>What a model file says besides its tensors: its metadata, parsed and checked.</summary>
/// <param name="NetworkName">The network it was saved from (null for a file without NetGen metadata, e.g. from PyTorch).</param>
/// <param name="SpecHash">That network's <see cref="INetwork.SpecHash"/>, or null.</param>
/// <param name="Architecture">That network's <see cref="INetwork.Architecture"/>, or null.</param>
/// <param name="Position">Where its training run stood, or null.</param>
/// <param name="Step">The optimizer step count stored, or null.</param>
/// <param name="Seed">The seed of the run, or null.</param>
/// <param name="HasOptimizerState">Whether the file held the optimizer's state (PyTorch files do not).</param>
/// <param name="Metadata">Every <c>__metadata__</c> entry, as stored.</param>
public sealed record Checkpoint(
    string? NetworkName,
    string? SpecHash,
    string? Architecture,
    TrainingPosition? Position,
    long? Step,
    int? Seed,
    bool HasOptimizerState,
    IReadOnlyDictionary<string, string> Metadata)
{
    // Init-only rather than positional, so that the constructor of 0.1.0 stays as it was.

    /// <summary>The network's <see cref="INetwork.LearningRate"/> when it was saved (finite, 0 or more), or null. Loading does not set it.</summary>
    public float? LearningRate { get; init; }

    /// <summary>The network's <see cref="INetwork.Threads"/> when it was saved (1 or more), or null. Loading does not set it.</summary>
    public int? Threads { get; init; }

    /// <summary>
    /// The state of the network's <see cref="INetwork.DropoutRandom"/> (four words, <see cref="RandomSource.GetState"/>'s
    /// order), or null for a network without dropout or a file without NetGen metadata. Loading restores it.
    /// </summary>
    public ulong[]? DropoutState { get; init; }

    /// <summary>What the rows the network was trained on looked like (column and class names, the inputs' standardization), or null.</summary>
    public DataSchema? Data { get; init; }
}
