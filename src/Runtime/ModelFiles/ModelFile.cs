using System;
using System.Collections.Generic;
using System.Linq;
using System.Diagnostics.CodeAnalysis;
using System.IO;

namespace NetGen;

/// <summary>
/// Saves and loads a network as one safetensors file: weights and biases in PyTorch's <c>nn.Linear</c>
/// orientation (<c>fc1.weight</c> <c>[out, in]</c>, row-major, F32 little-endian), the buffers (a batch norm's
/// <c>bn1.running_mean</c>, <c>bn1.running_var</c>, F32) and batch counters (<c>bn1.num_batches_tracked</c>, I64), the
/// optimizer state (<c>fc1.weight.exp_avg</c>, ...), and <c>__metadata__</c> with the network, its spec hash, the training
/// position, the optimizer step, the seed and the random states.
/// </summary>
/// <remarks>
/// <para>
/// The file: an 8-byte little-endian header length N; N bytes of JSON (padded with spaces to a multiple of 8), whose
/// <c>__metadata__</c> comes first, then one entry per tensor, <c>{"dtype":"F32","shape":[out,in],"data_offsets":[begin,end]}</c>,
/// the parameters, the buffers (<see cref="INetwork.Buffers"/>), the batch counters (<see cref="INetwork.BatchCounters"/>) and the
/// optimizer state, each in the network's order; then the tensors' bytes in the same order,
/// each <c>[begin, end)</c> relative to the first byte after the header, as the safetensors format describes (what <c>safetensors.torch.load_file</c> reads).
/// </para>
/// <para>
/// Every tensor is F32 but the batch counters, PyTorch's <c>num_batches_tracked</c> of each batch norm: an I64 of shape <c>[]</c>
/// (8 bytes, little-endian, at an offset that need not be a multiple of 8) whose value is <see cref="INetwork.Step"/>, as
/// every training step passes each batch norm once. Loading accepts one of shape <c>[]</c> or <c>[1]</c> under a counter's
/// name, or none (older PyTorch files lack it), and does not use its value; any other I64 tensor, or any other dtype, is refused.
/// </para>
/// <para>
/// The metadata (all values strings, as the format requires): <c>format</c> (<c>pt</c>), <c>network</c>, <c>spec_hash</c>,
/// <c>architecture</c>, <c>seed</c>, <c>optimizer_step</c>, <c>learning_rate</c> and <c>threads</c> (for information: loading
/// sets neither), then, when saved with a position, <c>epoch</c>, <c>step_in_epoch</c>, <c>batch_size</c> (if the position
/// has one) and <c>shuffle_state</c>, and for a
/// network with dropout <c>dropout_state</c>. Integers are decimal; a random state is four 16-digit hexadecimal words
/// separated by commas (<see cref="RandomSource.GetState"/>'s order).
/// </para>
/// <para>
/// To learn what a file holds before making the network for it (its seed, thread count, learning rate), read its metadata
/// alone with <see cref="ReadMetadata(string)"/>, or open it once with <see cref="OpenRead"/>, make the network from
/// <see cref="ModelFileReader.Checkpoint"/>, then <see cref="ModelFileReader.Load"/> it.
/// </para>
/// <para>
/// A file written by PyTorch (<c>safetensors.torch.save_file(model.state_dict(), ...)</c> of the same architecture:
/// no metadata, no optimizer state; the state_dict holds the buffers and batch counters) loads too, for evaluation,
/// prediction or as a starting point of training.
/// </para>
/// </remarks>
public static class ModelFile
{
    /// <summary>
    /// Writes <paramref name="network"/> to <paramref name="path"/> atomically, with <see cref="AtomicFile.Write"/>: a temporary
    /// file in the target's folder, flushed, then renamed over it; through a symbolic link to its target; holding the file's
    /// <see cref="FileLock"/>.
    /// </summary>
    /// <param name="path">The file to write (replaced if it exists; refused if it exists and is not a regular file).</param>
    /// <param name="network">The network to save.</param>
    /// <param name="position">Where the training run stands, to resume from this file; null for none.</param>
    /// <exception cref="ModelFormatException">
    /// The file cannot be written (no such folder, no permission, disk full, a folder, device or named pipe of that name,
    /// another process holding its lock), or a value of the network is NaN or infinite (training diverged). A file already
    /// at <paramref name="path"/> is then left as it was.
    /// </exception>
    [SuppressMessage("ApiDesign", "RS0027:API with optional parameter(s) should have the most parameters amongst its public overloads",
        Justification = "0.1.0's overload keeps its optional parameter; the overload with a DataSchema has none.")]
    public static void Save(string path, INetwork network, TrainingPosition? position = null) =>
        Save(path, network, position, data: null, wrapStream: null);

    /// <summary>
    /// <see cref="Save(string, INetwork, TrainingPosition?)"/> with what the training rows looked like (<paramref name="data"/>:
    /// column and class names, the inputs' standardization), kept in the file's metadata for <c>eval</c> and <c>predict</c>.
    /// </summary>
    /// <param name="path">The file to write (replaced if it exists; refused if it exists and is not a regular file).</param>
    /// <param name="network">The network to save.</param>
    /// <param name="position">Where the training run stands, to resume from this file; null for none.</param>
    /// <param name="data">The rows' schema; null for none.</param>
    /// <exception cref="ModelFormatException">As <see cref="Save(string, INetwork, TrainingPosition?)"/>; also a schema that does not fit the network.</exception>
    public static void Save(string path, INetwork network, TrainingPosition? position, DataSchema? data) =>
        Save(path, network, position, data, wrapStream: null);

    /// <summary>
    /// Writes exactly the <c>state_dict</c> of the PyTorch module that is <paramref name="network"/> (its parameters, buffers
    /// and batch counters, by PyTorch's names and in its layouts; no optimizer state), so that
    /// <c>model.load_state_dict(safetensors.torch.load_file(path), strict=True)</c> takes it. The metadata still names the
    /// network (and holds <paramref name="data"/>, which PyTorch ignores); NetGen loads it back as it loads a PyTorch file.
    /// </summary>
    /// <param name="path">The file to write (replaced if it exists).</param>
    /// <param name="network">The network whose weights to save.</param>
    /// <param name="data">The rows' schema (column and class names, standardization), kept in the metadata; null for none.</param>
    /// <exception cref="ModelFormatException">The file cannot be written, or a value is NaN or infinite.</exception>
    public static void SaveWeights(string path, INetwork network, DataSchema? data = null) =>
        Save(path, network, null, data, wrapStream: null, weightsOnly: true);

    /// <summary>
    /// <see cref="Save(string, INetwork, TrainingPosition?)"/>, writing through <paramref name="wrapStream"/>'s stream
    /// around the temporary file (tests make it fail midway).
    /// </summary>
    internal static void Save(string path, INetwork network, TrainingPosition? position, DataSchema? data, Func<Stream, Stream>? wrapStream, bool weightsOnly = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var (header, tensors) = Prepare(path, network, position, data, weightsOnly);
        try
        {
            AtomicFile.Write(path, file =>
            {
                Stream output = wrapStream?.Invoke(file) ?? file;
                SafetensorsWriter.Write(output, header, tensors);
                output.Flush();
            });
        }
        catch (IOException ex)
        {
            throw new ModelFormatException(ex.Message, ex); // "path: cannot write: problem", as AtomicFile says it
        }
    }

    /// <summary>
    /// Writes <paramref name="network"/> to <paramref name="stream"/> from its position: the same bytes as
    /// <see cref="Save(string, INetwork, TrainingPosition?)"/> writes to a file. The stream is flushed, not closed.
    /// </summary>
    /// <param name="stream">A writable stream.</param>
    /// <param name="network">The network to save.</param>
    /// <param name="position">Where the training run stands, to resume from this content; null for none.</param>
    /// <exception cref="ModelFormatException">
    /// The stream cannot be written, or a value of the network is NaN or infinite (then nothing is written).
    /// </exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters",
        Justification = "The first parameter is a string in one overload and a Stream in the other, so every valid call binds as before; only Save(null, ...) becomes ambiguous.")]
    public static void Save(Stream stream, INetwork network, TrainingPosition? position = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite) throw new ArgumentException("The stream must be writable.", nameof(stream));
        string name = NameOf(stream);
        var (header, tensors) = Prepare(name, network, position, data: null);
        try
        {
            SafetensorsWriter.Write(stream, header, tensors);
            stream.Flush();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw Error(name, "cannot write: " + ex.Message, ex);
        }
    }

    /// <summary>Checks the arguments of a save and makes the header; refuses a network holding NaN or infinity.</summary>
    private static (byte[] Header, List<SavedTensor> Tensors) Prepare(string name, INetwork network, TrainingPosition? position, DataSchema? data, bool weightsOnly = false)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (data?.Standardization is { } s && s.Mean.Length != network.InputSize)
            throw new ArgumentException($"The standardization has {s.Mean.Length} inputs; network \"{network.NetworkName}\" takes {network.InputSize}.", nameof(data));
        if (data?.ClassNames is { } classes && classes.Count > network.ClassCount)
            throw new ArgumentException($"{classes.Count} class names for network \"{network.NetworkName}\"'s {network.ClassCount} classes.", nameof(data));
        if (position is not null)
        {
            ArgumentNullException.ThrowIfNull(position.ShuffleState, nameof(position));
            ulong[] state = position.ShuffleState;
            if (position.Epoch < 1 || position.StepInEpoch < 0 || position.BatchSize < 1 || position.TrainingRows < 1 || state.Length != 4 || (state[0] | state[1] | state[2] | state[3]) == 0)
                throw new ArgumentException("The position needs an epoch from 1, a step from 0, a batch size and a row count from 1 (or none) and a shuffle state of 4 words, not all zero.", nameof(position));
        }

        if (position?.BestWeights is { } best)
        {
            var kept = SafetensorsWriter.Kept(network).ToList();
            if (best.Count != kept.Count || Enumerable.Range(0, kept.Count).Any(i => best[i]?.Length != kept[i].Values.Length))
                throw new ArgumentException($"The position's best weights do not match network \"{network.NetworkName}\"'s {kept.Count} parameters and buffers.", nameof(position));
        }
        // Weights only: a PyTorch module's state_dict (parameters, buffers, batch counters), and metadata without the optimizer
        // step and dropout state (a step would ask for the optimizer state when the file is loaded back).
        List<SavedTensor> tensors = SafetensorsWriter.Tensors(network, position, stateDictOnly: weightsOnly);
        if (SafetensorsWriter.FindNonFinite(tensors) is { } bad)
            throw Error(name, $"not saved: {bad} (training diverged; train again with a lower learning rate)");
        List<KeyValuePair<string, string>> metadata = ModelMetadata.Describe(network, position, data);
        if (weightsOnly) metadata.RemoveAll(e => e.Key is ModelMetadata.OptimizerStep or ModelMetadata.DropoutState);
        return (SafetensorsWriter.Header(tensors, metadata), tensors);
    }

    /// <summary>
    /// Reads <paramref name="path"/> into <paramref name="network"/>: its weights and biases, its buffers, and, if the file has them,
    /// the optimizer state, the step count and the dropout random state. Validates everything first and changes
    /// nothing on failure.
    /// </summary>
    /// <remarks>
    /// A file without optimizer state (e.g. from PyTorch) leaves the network as a fresh optimizer would: its state
    /// zero and its step count 0. A file without a dropout state leaves <see cref="INetwork.DropoutRandom"/> as it is.
    /// The learning rate is never changed (the file's is <see cref="Checkpoint.LearningRate"/>).
    /// The file is refused if its spec hash or architecture is another network's (the message names the parts that
    /// differ), if a tensor (a parameter or buffer) is missing, unexpected or of another shape, or if it is not a valid safetensors
    /// file of F32 tensors and I64 batch counters (bad lengths or offsets, overlapping tensors or bytes of no tensor, a header over
    /// 100 MB, malformed JSON or metadata, NaN or infinite values). A path that names no regular file (a folder, a named pipe, a device) is refused
    /// without being opened. The header is refused as soon as it lists more tensors than the network has (parameters, buffers,
    /// batch counters and optimizer state) or more than 1,024 metadata entries, so what the reader holds is bounded by the file's length.
    /// </remarks>
    /// <exception cref="ModelFormatException">The file is unreadable, malformed, or for another architecture.</exception>
    public static Checkpoint Load(string path, INetwork network)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(network);
        using ModelFileReader reader = Open(path, network);
        return reader.Load(network);
    }

    /// <summary>
    /// <see cref="Load(string, INetwork)"/> from <paramref name="stream"/>: the file's content from the stream's position
    /// to its end. Error messages name a <see cref="FileStream"/> by its path, any other stream as <c>stream</c>.
    /// The stream is not closed.
    /// </summary>
    /// <param name="stream">A readable, seekable stream.</param>
    /// <param name="network">The network to fill.</param>
    /// <exception cref="ModelFormatException">The content is unreadable, malformed, or for another architecture.</exception>
    public static Checkpoint Load(Stream stream, INetwork network)
    {
        CheckReadable(stream);
        return Load(stream, NameOf(stream), network);
    }

    /// <summary>Reads a model file from <paramref name="stream"/> (seekable, from its position) into <paramref name="network"/>.</summary>
    /// <param name="stream">The content of the file.</param>
    /// <param name="displayName">The name of the file in error messages.</param>
    /// <param name="network">The network to fill.</param>
    internal static Checkpoint Load(Stream stream, string displayName, INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        using var reader = new ModelFileReader(stream, displayName, leaveOpen: true, network);
        return reader.Load(network);
    }

    /// <summary>
    /// Reads only the header of <paramref name="path"/>: what the file says besides its tensors, as typed values, checked
    /// as <see cref="Load(string, INetwork)"/> checks them, without a network and without reading the tensors.
    /// </summary>
    /// <remarks>
    /// A file without NetGen metadata (e.g. from PyTorch) gives nulls. Whether the file fits a network (its architecture,
    /// its tensors' names and shapes) and whether its values are finite is checked only by a load. Without a network, a
    /// header may list at most 65,536 tensors (a network of 10,000 layers has 60,000 with its optimizer state) and 1,024
    /// metadata entries.
    /// </remarks>
    /// <exception cref="ModelFormatException">The file is unreadable or its header malformed, with the message a load would give.</exception>
    public static Checkpoint ReadMetadata(string path)
    {
        using ModelFileReader reader = OpenRead(path);
        return reader.Checkpoint;
    }

    /// <summary>
    /// <see cref="ReadMetadata(string)"/> from <paramref name="stream"/> (the file's content from its position to its end);
    /// after a successful read the stream's position is set back where it was, so that <see cref="Load(Stream, INetwork)"/> can follow.
    /// </summary>
    /// <param name="stream">A readable, seekable stream.</param>
    /// <exception cref="ModelFormatException">The content is unreadable or its header malformed.</exception>
    public static Checkpoint ReadMetadata(Stream stream)
    {
        CheckReadable(stream);
        long start = stream.Position;
        Checkpoint checkpoint;
        using (var reader = new ModelFileReader(stream, NameOf(stream), leaveOpen: true)) checkpoint = reader.Checkpoint;
        stream.Position = start;
        return checkpoint;
    }

    /// <summary>
    /// Opens <paramref name="path"/> and reads its header: <see cref="ModelFileReader.Checkpoint"/> is known at once, the
    /// tensors are read by <see cref="ModelFileReader.Load"/> from the same open file. Dispose the reader to close it.
    /// </summary>
    /// <param name="path">The model file.</param>
    /// <exception cref="ModelFormatException">
    /// The file is missing, not a regular file, unreadable, or its header malformed (limits as for <see cref="ReadMetadata(string)"/>).
    /// </exception>
    public static ModelFileReader OpenRead(string path) => Open(path, network: null);

    /// <summary><see cref="OpenRead(string)"/>, for <paramref name="network"/> if it is known: it bounds how many tensors the header may list.</summary>
    private static ModelFileReader Open(string path, INetwork? network)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (ReadableFile.Refusal(path) is { } refusal) throw Error(path, refusal);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Error(path, "file not found", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw Error(path, "cannot open: " + ex.Message, ex);
        }
        try
        {
            if (!file.CanSeek) throw Error(path, "cannot read: not a regular file");
            return new ModelFileReader(file, path, leaveOpen: false, network);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The exception for a problem with <paramref name="path"/>: <c>path: problem</c>, on one line.</summary>
    internal static ModelFormatException Error(string path, string problem, Exception? inner = null)
    {
        string message = DataFormatException.OneLine(DataFormatException.OneLine(path) + ": " + DataFormatException.OneLine(problem));
        return inner is null ? new ModelFormatException(message) : new ModelFormatException(message, inner);
    }

    /// <summary>What error messages call a stream's content: a file stream's path, else <c>stream</c>.</summary>
    private static string NameOf(Stream stream) => stream is FileStream file ? file.Name : "stream";

    private static void CheckReadable(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead || !stream.CanSeek) throw new ArgumentException("The stream must be readable and seekable.", nameof(stream));
    }
}
