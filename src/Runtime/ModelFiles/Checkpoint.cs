using System.Collections.Generic;

namespace NetGen;

/// <summary>What a model file says besides its tensors.</summary>
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
    IReadOnlyDictionary<string, string> Metadata);
