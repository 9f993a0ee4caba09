using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>A model file that cannot be read, or does not fit the network: the message names the file and the problem.</summary>
public sealed class ModelFormatException : Exception
{
    /// <summary>Creates the exception with a one-line message.</summary>
    public ModelFormatException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a one-line message and its cause.</summary>
    public ModelFormatException(string message, Exception inner) : base(message, inner)
    {
    }
}

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

/// <summary>
/// Saves and loads a network as one safetensors file: weights and biases in PyTorch's <c>nn.Linear</c>
/// orientation (<c>fc1.weight</c> <c>[out, in]</c>, row-major, F32 little-endian), the optimizer state
/// (<c>fc1.weight.exp_avg</c>, ...), and <c>__metadata__</c> with the network, its spec hash, the training
/// position, the optimizer step, the seed and the random states.
/// </summary>
public static class ModelFile
{
    /// <summary>Writes <paramref name="network"/> to <paramref name="path"/> atomically (a temporary file in the same folder, flushed, then renamed over it).</summary>
    /// <param name="path">The file to write (replaced if it exists).</param>
    /// <param name="network">The network to save.</param>
    /// <param name="position">Where the training run stands, to resume from this file; null for none.</param>
    public static void Save(string path, INetwork network, TrainingPosition? position = null) =>
        throw new NotImplementedException();

    /// <summary>
    /// Reads <paramref name="path"/> into <paramref name="network"/>: its weights and biases, and, if the file has them,
    /// the optimizer state, the step count and the dropout random state. Validates everything first and changes
    /// nothing on failure.
    /// </summary>
    /// <exception cref="ModelFormatException">The file is unreadable, malformed, or for another architecture.</exception>
    public static Checkpoint Load(string path, INetwork network) =>
        throw new NotImplementedException();
}
