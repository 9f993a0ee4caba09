using System;
using System.Collections.Generic;

namespace NetGen.Cli;

/// <summary>The networks this program can build, by their nets.json name (<c>--net</c>).</summary>
internal static class Networks
{
    /// <summary>
    /// Every valid <c>--net</c> value: every network the program's assemblies registered (<see cref="NetworkRegistry"/>,
    /// which the generator fills: with <c>[assembly: NetworkCatalog]</c> every network of nets.json).
    /// </summary>
    public static IReadOnlyList<string> Names => NetworkRegistry.Names;

    /// <summary>The network a model file was saved from, when this program has it (a file of NetGen's); else <paramref name="defaultNetwork"/>.</summary>
    public static string Saved(Checkpoint saved, string defaultNetwork) => saved.NetworkName is { } name && NetworkRegistry.Contains(name) ? name : defaultNetwork;

    /// <summary>
    /// Whether a model file (--load) is read as ONNX: a name ending in <c>.onnx</c> (any case). Any other file is read as
    /// safetensors, whatever its name.
    /// </summary>
    public static bool IsOnnx(string modelFile) => modelFile.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);

    /// <summary>Loads <paramref name="modelFile"/> into <paramref name="network"/>: an ONNX file (<see cref="IsOnnx"/>) with <see cref="OnnxImport"/>, any other with <see cref="ModelFile"/>.</summary>
    public static Checkpoint Load(string modelFile, INetwork network) =>
        Inputs.Read(modelFile, () => IsOnnx(modelFile) ? OnnxImport.Load(modelFile, network) : ModelFile.Load(modelFile, network));

    /// <summary>
    /// The network to load <paramref name="modelFile"/> into: <paramref name="given"/> (--net), else the one the file was saved
    /// from. A file that cannot be read here gives <paramref name="defaultNetwork"/>: loading it reports the problem.
    /// </summary>
    /// <exception cref="UsageException">An ONNX file without NetGen's metadata (PyTorch's) and no --net.</exception>
    public static string For(string? given, string modelFile, string defaultNetwork)
    {
        if (given is not null) return given;
        try
        {
            if (IsOnnx(modelFile))
            {
                Checkpoint onnx = Inputs.Read(modelFile, () => OnnxImport.ReadMetadata(modelFile));
                if (onnx.NetworkName is null)
                    throw new UsageException($"{modelFile}: an ONNX file without NetGen's metadata (e.g. from PyTorch): give the network its graph is with --net NAME ({string.Join(", ", Names)}).");
                return Saved(onnx, defaultNetwork);
            }
            return Saved(ModelFile.ReadMetadata(modelFile), defaultNetwork);
        }
        catch (Exception e) when (e is ModelFormatException or System.IO.IOException or UnauthorizedAccessException)
        {
            return defaultNetwork;
        }
    }

    /// <summary>A fresh network; null values come from its spec.</summary>
    /// <exception cref="UsageException">No such network, or a batch size (--batch-size) too large for its buffers or for the memory.</exception>
    public static INetwork Create(string name, int? seed = null, int? maxBatchSize = null, int threads = 1)
    {
        try
        {
            if (!NetworkRegistry.Contains(name)) throw new UsageException($"unknown network \"{name}\"; valid networks: {string.Join(", ", Names)}");
            return NetworkRegistry.Create(name, seed, maxBatchSize, threads);
        }
        catch (ArgumentOutOfRangeException e) when (e.ParamName == "maxBatchSize" && maxBatchSize is int batch)
        {
            throw new UsageException($"--batch-size {batch} is too large for network \"{name}\"{LargestBatch(e.Message)}");
        }
        catch (OutOfMemoryException) when (maxBatchSize is int batch)
        {
            throw new UsageException($"--batch-size {batch}: not enough memory for the training buffers of network \"{name}\"; give a smaller batch");
        }
    }

    /// <summary>
    /// ": its buffers allow at most N images a batch", from the message of the network's check of its batch size
    /// ("... at most N rows ..."), which computes N from the network's widest row; "" if the message does not say.
    /// </summary>
    private static string LargestBatch(string message)
    {
        const string Marker = "at most ";
        int at = message.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0) return "";
        ReadOnlySpan<char> rest = message.AsSpan(at + Marker.Length);
        int digits = 0;
        while (digits < rest.Length && char.IsAsciiDigit(rest[digits])) digits++;
        return digits == 0 ? "" : $": its buffers allow at most {rest[..digits]} images a batch";
    }
}
