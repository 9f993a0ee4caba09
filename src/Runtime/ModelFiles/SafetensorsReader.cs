using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace NetGen;

/// <summary>
/// Reads and validates a safetensors file in two steps: <see cref="ReadHeader"/> checks the header on its own (its layout
/// and the metadata NetGen knows, parsed into a <see cref="Checkpoint"/>) without any network; <see cref="ReadTensors"/>
/// then checks it against a network and reads the tensors' bytes, without changing the network: the result is a
/// <see cref="LoadPlan"/> that <see cref="LoadPlan.Apply"/> then copies into it and that cannot fail.
/// </summary>
/// <remarks>
/// The file is data only: the header is parsed as JSON (no types are created from it and nothing in it is
/// executed), and every number in it is checked before it is used as a size or an offset.
/// </remarks>
internal sealed class SafetensorsReader
{
    /// <summary>The largest header accepted (100 MB, as the reference implementation's limit).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>
    /// The most tensors a header may list when no network tells how many it has (reading the metadata alone): a network of
    /// 10,000 dense layers has 60,000 with the optimizer state. Without a limit a 100 MB header of empty entries took 1.5 GB.
    /// </summary>
    public const int MaxTensors = 65_536;

    /// <summary>The most metadata entries a header may have (NetGen writes 14 at most, PyTorch 1).</summary>
    public const int MaxMetadataEntries = 1024;

    /// <summary>The most dimensions a tensor's shape may have.</summary>
    private const int MaxRank = 64;

    private const string MetadataKey = "__metadata__";

    private readonly string _name;

    private SafetensorsReader(string name)
    {
        _name = name;
    }

    /// <summary>
    /// Reads the header of the file in <paramref name="stream"/> (seekable, from its position to its end) and checks
    /// everything that does not depend on a network; the stream is left at the first byte after the header.
    /// </summary>
    /// <param name="stream">The file's content.</param>
    /// <param name="name">The file's name in error messages.</param>
    /// <param name="network">
    /// The network the file is for, if known: a header listing more tensors than it has is refused as soon as the entry
    /// beyond them is read. Otherwise the limit is <see cref="MaxTensors"/>.
    /// </param>
    /// <exception cref="ModelFormatException">The header is malformed.</exception>
    /// <exception cref="IOException">The stream cannot be read.</exception>
    public static ModelFileHeader ReadHeader(Stream stream, string name, INetwork? network) => new SafetensorsReader(name).Header(stream, network);

    /// <summary>Checks <paramref name="header"/> against <paramref name="network"/> and reads the tensors' bytes from <paramref name="stream"/>.</summary>
    /// <exception cref="ModelFormatException">The file does not fit the network, or holds a value that is not finite.</exception>
    /// <exception cref="IOException">The stream cannot be read.</exception>
    public static LoadPlan ReadTensors(ModelFileHeader header, Stream stream, INetwork network) =>
        new SafetensorsReader(header.Name).Plan(header, stream, network);

    private ModelFileHeader Header(Stream stream, INetwork? network)
    {
        long length = stream.Length - stream.Position;
        if (length == 0) throw Fail("empty file");
        if (length < 8) throw Fail($"too short for a safetensors file: {length} bytes, less than the 8-byte header length");
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > MaxHeaderBytes)
            throw Fail($"the header length field says {headerLength} bytes, more than the limit of {MaxHeaderBytes} bytes (100 MB); not a safetensors file?");
        if ((long)headerLength > length - 8)
            throw Fail($"the header length field says {headerLength} bytes, but only {length - 8} bytes follow it");
        byte[] header = new byte[headerLength];
        stream.ReadExactly(header);
        long dataLength = length - 8 - (long)headerLength;

        var (metadata, entries) = ParseHeader(header, network);
        CheckDTypes(entries);
        CheckOffsets(entries, dataLength);
        return new ModelFileHeader(_name, ParseMetadata(metadata), entries, stream.Position, dataLength);
    }

    private LoadPlan Plan(ModelFileHeader header, Stream stream, INetwork network)
    {
        CheckArchitecture(header.Checkpoint.Metadata, network);
        if (header.Entries.Count > TensorCount(network)) throw Fail(TooManyTensors(network));
        var (parameters, state, best) = MatchTensors(header.Entries, network);
        CheckMetadataFits(header.Checkpoint, network, hasStateTensors: state.Count > 0);
        Checkpoint checkpoint = header.Checkpoint;
        if (best.Count > 0)
        {
            // Early stopping's best weights so far belong to a training position; they are read into arrays of their own.
            if (checkpoint.Position is not { EarlyStopping: not null } position)
                throw Fail($"the file has best weights ({SafetensorsWriter.BestPrefix}...) but no training position with an early_stopping state they belong to");
            checkpoint = checkpoint with { Position = position with { BestWeights = best.ConvertAll(b => b.Item1.Values).ToArray() } };
        }
        var plan = new LoadPlan(checkpoint, checkpoint.Step ?? 0, checkpoint.DropoutState);

        // Every byte of the data belongs to exactly one tensor of the network now, so its size is bounded by the network's.
        byte[] data = new byte[header.DataLength];
        stream.Position = header.DataStart;
        stream.ReadExactly(data);
        plan.Data = data;
        plan.Tensors.AddRange(parameters);
        plan.Tensors.AddRange(state);
        plan.Tensors.AddRange(best);
        if (state.Count == 0) plan.StateToClear.AddRange(network.OptimizerState);
        foreach (var (target, begin) in plan.Tensors) CheckFinite(target, data, begin);
        return plan;
    }

    /// <summary>
    /// Parses the header as it is read, token by token, so that a header of too many entries stops at the first one beyond
    /// the limit: what is kept is then bounded by the limits, and the header's own bytes by the file's length.
    /// </summary>
    private (Dictionary<string, string> Metadata, List<TensorEntry> Entries) ParseHeader(byte[] header, INetwork? network)
    {
        if (header.Length == 0) throw Fail("the header is empty (its length field is 0)");
        if (header[0] != (byte)'{')
            throw Fail($"the header does not start with '{{' but with byte 0x{header[0]:x2}; not a safetensors file?");
        if (!Utf8.IsValid(header)) throw Fail("the header is not valid UTF-8");
        var reader = new Utf8JsonReader(header, new JsonReaderOptions { MaxDepth = 16 });
        try
        {
            var parsed = ParseRoot(ref reader, header, network is null ? MaxTensors : TensorCount(network), network);
            while (reader.Read())
            {
                // Only white space may follow the object: anything else makes Read throw.
            }
            return parsed;
        }
        catch (JsonException ex)
        {
            throw Fail("the header is not valid JSON: " + ex.Message);
        }
        catch (InvalidOperationException ex)
        {
            // GetString refuses a string whose escapes make invalid UTF-16 (a lone surrogate such as "\ud800").
            throw Fail("the header holds a string that is not valid text: " + ex.Message);
        }
    }

    private (Dictionary<string, string> Metadata, List<TensorEntry> Entries) ParseRoot(
        ref Utf8JsonReader reader, byte[] header, int maxTensors, INetwork? network)
    {
        reader.Read(); // the '{' the header starts with
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var entries = new List<TensorEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string key = reader.GetString()!;
            if (!seen.Add(key)) throw Fail($"the header lists {Show(key)} twice");
            reader.Read();
            if (key == MetadataKey)
            {
                ParseMetadata(ref reader, metadata);
                continue;
            }
            if (entries.Count == maxTensors)
            {
                // Another architecture's file is named as such rather than by its count (NetGen writes the metadata first).
                if (network is not null) CheckArchitecture(metadata, network);
                throw Fail(TooManyTensors(network));
            }
            entries.Add(ParseEntry(ref reader, header, key));
        }
        return (metadata, entries);
    }

    private void ParseMetadata(ref Utf8JsonReader reader, Dictionary<string, string> metadata)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw Fail($"{MetadataKey} is a JSON {Kind(reader.TokenType)}, not an object");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string key = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
                throw Fail($"metadata {Show(key)} is a JSON {Kind(reader.TokenType)}; safetensors metadata values must be strings");
            if (metadata.ContainsKey(key)) throw Fail($"metadata {Show(key)} is listed twice");
            if (metadata.Count == MaxMetadataEntries) throw Fail($"the metadata has more than {MaxMetadataEntries} entries");
            metadata.Add(key, reader.GetString()!);
        }
    }

    private TensorEntry ParseEntry(ref Utf8JsonReader reader, byte[] header, string name)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw Fail($"tensor {Show(name)} is described by a JSON {Kind(reader.TokenType)}, not an object");
        string? dtype = null;
        long[]? shape = null, offsets = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string field = reader.GetString()!;
            reader.Read();
            switch (field)
            {
                case "dtype" when dtype is null:
                    if (reader.TokenType != JsonTokenType.String)
                        throw Fail($"tensor {Show(name)}: dtype is a JSON {Kind(reader.TokenType)}, not a string");
                    dtype = reader.ValueTextEquals("F32"u8) ? "F32" : reader.GetString()!;
                    break;
                case "shape" when shape is null:
                    shape = WholeNumbers(ref reader, header, name, "shape", out int rank);
                    if (rank > MaxRank) throw Fail($"tensor {Show(name)}: shape has {rank} dimensions, more than {MaxRank}");
                    break;
                case "data_offsets" when offsets is null:
                    offsets = WholeNumbers(ref reader, header, name, "data_offsets", out int count);
                    if (count != 2) throw Fail($"tensor {Show(name)}: data_offsets has {count} numbers; it must be [begin, end]");
                    break;
                case "dtype" or "shape" or "data_offsets":
                    throw Fail($"tensor {Show(name)}: {field} is listed twice");
                default:
                    throw Fail($"tensor {Show(name)} has an unknown field {Show(field)} (expected dtype, shape and data_offsets)");
            }
        }
        if (dtype is null) throw Fail($"tensor {Show(name)} has no dtype");
        if (shape is null) throw Fail($"tensor {Show(name)} has no shape");
        if (offsets is null) throw Fail($"tensor {Show(name)} has no data_offsets");
        return new TensorEntry(name, dtype, shape, offsets[0], offsets[1]);
    }

    /// <summary>
    /// An array of whole numbers from 0; <paramref name="count"/> is how many it holds, of which at most
    /// <see cref="MaxRank"/> are kept (the array's length is then not the count).
    /// </summary>
    private long[] WholeNumbers(ref Utf8JsonReader reader, byte[] header, string tensor, string field, out int count)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw Fail($"tensor {Show(tensor)}: {field} is a JSON {Kind(reader.TokenType)}, not an array");
        Span<long> kept = stackalloc long[MaxRank];
        count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long n) || n < 0)
                throw Fail($"tensor {Show(tensor)}: {field} holds {Show(RawText(ref reader, header))}, not a whole number from 0 to {long.MaxValue}");
            if (count < MaxRank) kept[count] = n;
            count++;
        }
        return kept[..Math.Min(count, MaxRank)].ToArray();
    }

    /// <summary>The JSON text of the value the reader is on (a whole array or object: it is skipped).</summary>
    private static string RawText(ref Utf8JsonReader reader, byte[] header)
    {
        int start = (int)reader.TokenStartIndex;
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
        return Encoding.UTF8.GetString(header, start, (int)reader.BytesConsumed - start);
    }

    /// <summary>The tensors a file for <paramref name="network"/> may hold: its parameters, buffers, batch counters and optimizer state.</summary>
    private static int TensorCount(INetwork network) =>
        2 * (network.Parameters.Count + network.Buffers.Count) + network.BatchCounters.Count + network.OptimizerState.Count; // with early stopping's best copy

    private static string TooManyTensors(INetwork? network)
    {
        if (network is null) return $"the header lists more than {MaxTensors} tensors, the most a model file may have";
        string parts = network.Buffers.Count + network.BatchCounters.Count == 0
            ? "its parameters, optimizer state and a best copy of the parameters"
            : "its parameters, buffers, batch counters, optimizer state and a best copy of the parameters and buffers";
        return $"the header lists more tensors than the {TensorCount(network)} of network \"{network.NetworkName}\" ({parts})";
    }

    /// <summary>Refuses a file made for another architecture, naming the parts that differ.</summary>
    private void CheckArchitecture(IReadOnlyDictionary<string, string> metadata, INetwork network)
    {
        metadata.TryGetValue(ModelMetadata.SpecHash, out string? hash);
        metadata.TryGetValue(ModelMetadata.Architecture, out string? architecture);
        bool hashDiffers = hash is not null && hash != network.SpecHash;
        bool architectureDiffers = architecture is not null && architecture != network.Architecture;
        if (!hashDiffers && !architectureDiffers) return;
        var problem = new StringBuilder($"made for a different architecture than network \"{network.NetworkName}\"");
        if (metadata.TryGetValue(ModelMetadata.Network, out string? saved)) problem.Append($" (saved from network {Show(saved)})");
        if (architectureDiffers) problem.Append(": ").Append(Shorten(ArchitectureDiff.Describe(architecture!, network.Architecture)!, 400));
        if (hashDiffers) problem.Append($" (spec hash {Show(hash!)} in the file, {network.SpecHash} for the network)");
        else if (hash is null) problem.Append(" (the file has no spec hash)");
        throw Fail(problem.ToString());
    }

    /// <summary>
    /// Every tensor is F32, or an I64 scalar (shape <c>[]</c> or <c>[1]</c>), which only a batch counter may be: that its
    /// name is one is checked against the network (<see cref="MatchTensors"/>).
    /// </summary>
    private void CheckDTypes(List<TensorEntry> entries)
    {
        foreach (TensorEntry entry in entries)
        {
            if (entry.DType == "F32" || IsInt64Scalar(entry)) continue;
            if (entry.DType == "I64")
            {
                throw Fail($"tensor {Show(entry.Name)} has dtype \"I64\" and shape {ShapeText(entry.Shape)}; only F32 (32-bit float) is supported, " +
                    "and I64 only as a batch norm's num_batches_tracked, one value (shape [])");
            }
            throw Fail($"tensor {Show(entry.Name)} has dtype {Show(entry.DType)}; only F32 (32-bit float) is supported");
        }
    }

    /// <summary>An I64 of one value, shape <c>[]</c> (as PyTorch writes <c>num_batches_tracked</c>) or <c>[1]</c>.</summary>
    private static bool IsInt64Scalar(TensorEntry entry) =>
        entry.DType == "I64" && (entry.Shape.Length == 0 || (entry.Shape.Length == 1 && entry.Shape[0] == 1));

    /// <summary>The bytes of one value of a tensor whose dtype <see cref="CheckDTypes"/> accepted.</summary>
    private static int ElementSize(TensorEntry entry) => entry.DType == "I64" ? sizeof(long) : sizeof(float);

    /// <summary>
    /// Each tensor's bytes lie inside the data and match its shape; together they cover the data exactly once
    /// (no overlap, no gap, nothing after the last tensor), as the safetensors format requires.
    /// </summary>
    private void CheckOffsets(List<TensorEntry> entries, long dataLength)
    {
        foreach (TensorEntry entry in entries)
        {
            string offsets = $"data_offsets [{entry.Begin}, {entry.End}]";
            if (entry.End < entry.Begin) throw Fail($"tensor {Show(entry.Name)}: {offsets} end before they begin");
            if (entry.End > dataLength)
                throw Fail($"tensor {Show(entry.Name)}: {offsets} run past the end of the data ({dataLength} bytes after the header)");
            int size = ElementSize(entry);
            long count = 1;
            foreach (long d in entry.Shape)
            {
                if (d != 0 && count > long.MaxValue / size / d)
                    throw Fail($"tensor {Show(entry.Name)}: shape {ShapeText(entry.Shape)} is too large");
                count *= d;
            }
            if (entry.End - entry.Begin != count * size)
            {
                throw Fail($"tensor {Show(entry.Name)}: shape {ShapeText(entry.Shape)} holds {count} {entry.DType} values ({count * size} bytes) " +
                    $"but {offsets} span {entry.End - entry.Begin} bytes");
            }
        }
        var sorted = entries.ToArray();
        Array.Sort(sorted, (a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long covered = 0;
        TensorEntry? previous = null;
        foreach (TensorEntry entry in sorted)
        {
            if (entry.Begin < covered)
            {
                throw Fail($"tensors {Show(previous!.Name)} [{previous.Begin}, {previous.End}] and {Show(entry.Name)} [{entry.Begin}, {entry.End}] " +
                    "overlap in the data");
            }
            if (entry.Begin > covered) throw Fail($"bytes {covered} to {entry.Begin} of the data belong to no tensor");
            covered = entry.End;
            previous = entry;
        }
        if (covered < dataLength)
            throw Fail($"the last {dataLength - covered} bytes of the data (from byte {covered}) belong to no tensor");
    }

    /// <summary>
    /// Pairs the file's tensors with the network's: every parameter and buffer, and either every optimizer state tensor or
    /// none, each F32 with the same shape; any of the batch counters, each an I64 scalar (its value is not used); nothing
    /// else. The first list holds the parameters then the buffers.
    /// </summary>
    private (List<(NamedTensor, long)> Parameters, List<(NamedTensor, long)> State, List<(NamedTensor, long)> Best) MatchTensors(IReadOnlyList<TensorEntry> entries, INetwork network)
    {
        var byName = new Dictionary<string, TensorEntry>(StringComparer.Ordinal);
        foreach (TensorEntry entry in entries) byName.Add(entry.Name, entry);
        IReadOnlyList<string> counters = network.BatchCounters;
        var counterNames = new HashSet<string>(counters, StringComparer.Ordinal);
        foreach (TensorEntry entry in entries)
        {
            if (entry.DType == "F32" || counterNames.Contains(entry.Name)) continue;
            string only = counters.Count == 0 ? "" : $", and I64 only for the batch counters of network \"{network.NetworkName}\" ({counters[0]}, ...)";
            throw Fail($"tensor {Show(entry.Name)} has dtype {Show(entry.DType)}; only F32 (32-bit float) is supported{only}");
        }
        var problems = new List<string>();
        var parameters = new List<(NamedTensor, long)>();
        var state = new List<(NamedTensor, long)>();
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (NamedTensor tensor in network.Parameters) Match(tensor, parameters, partOfState: false);
        foreach (NamedTensor tensor in network.Buffers) Match(tensor, parameters, partOfState: false);
        foreach (string counter in counters)
        {
            known.Add(counter);
            if (byName.TryGetValue(counter, out TensorEntry? entry) && !IsInt64Scalar(entry))
            {
                problems.Add($"tensor {counter} is {entry.DType} of shape {ShapeText(entry.Shape)} in the file, but a batch counter " +
                    $"(num_batches_tracked) of network \"{network.NetworkName}\" is an I64 of shape []");
            }
        }
        bool anyState = false;
        foreach (NamedTensor tensor in network.OptimizerState) anyState |= byName.ContainsKey(tensor.Name);
        foreach (NamedTensor tensor in network.OptimizerState)
        {
            if (anyState) Match(tensor, state, partOfState: true);
            else known.Add(tensor.Name);
        }
        // Early stopping's best weights so far: best.NAME for every parameter and buffer, or none; read into new arrays.
        var best = new List<(NamedTensor, long)>();
        bool anyBest = SafetensorsWriter.Kept(network).Any(t => byName.ContainsKey(SafetensorsWriter.BestPrefix + t.Name));
        foreach (NamedTensor tensor in SafetensorsWriter.Kept(network))
        {
            if (anyBest) Match(new NamedTensor(SafetensorsWriter.BestPrefix + tensor.Name, tensor.Shape, new float[tensor.Values.Length], null, tensor.Layout), best, partOfState: false);
        }
        foreach (TensorEntry entry in entries)
        {
            if (!known.Contains(entry.Name)) problems.Add($"unexpected tensor {Show(entry.Name)}: network \"{network.NetworkName}\" has no such tensor");
        }
        if (problems.Count == 0) return (parameters, state, best);
        string more = problems.Count == 1 ? "" : $" (and {problems.Count - 1} more difference{(problems.Count == 2 ? "" : "s")})";
        throw Fail(problems[0] + more);

        void Match(NamedTensor tensor, List<(NamedTensor, long)> matched, bool partOfState)
        {
            known.Add(tensor.Name);
            if (!byName.TryGetValue(tensor.Name, out TensorEntry? entry))
            {
                problems.Add($"missing tensor {tensor.Name}" + (partOfState
                    ? " (the file has only part of the optimizer state)"
                    : $" of network \"{network.NetworkName}\""));
                return;
            }
            if (!SameShape(entry.Shape, tensor.Shape))
            {
                problems.Add($"tensor {tensor.Name} has shape {ShapeText(entry.Shape)} in the file but {ShapeText(tensor.Shape)} in network \"{network.NetworkName}\"");
                return;
            }
            matched.Add((tensor, entry.Begin));
        }
    }

    /// <summary>
    /// Parses the metadata NetGen knows (other entries are kept as they are) and checks that the parts of the training
    /// position go together; what the metadata says about a network is checked by <see cref="CheckMetadataFits"/>.
    /// </summary>
    private Checkpoint ParseMetadata(Dictionary<string, string> metadata)
    {
        string? Get(string key) => metadata.TryGetValue(key, out string? value) ? value : null;
        long? Count(string key, long minimum, long maximum)
        {
            string? text = Get(key);
            if (text is null) return null;
            if (!ModelMetadata.TryParseCount(text, minimum, maximum, out long value))
                throw Fail($"metadata {key} is {Show(text)}, not a whole number from {minimum} to {maximum}");
            return value;
        }
        double[]? Numbers(string key, int? count)
        {
            string? text = Get(key);
            if (text is null) return null;
            if (!ModelMetadata.TryParseNumbers(text, out double[] values) || (count is int n && values.Length != n))
                throw Fail($"metadata {key} is {Show(text)}, not {(count is int c ? $"{c} numbers" : "numbers")} separated by commas");
            return values;
        }
        ulong[]? State(string key)
        {
            string? text = Get(key);
            if (text is null) return null;
            if (!ModelMetadata.TryParseState(text, out ulong[] state))
                throw Fail($"metadata {key} is {Show(text)}, not a random state (four hexadecimal words separated by commas, not all zero)");
            return state;
        }

        long? step = Count(ModelMetadata.OptimizerStep, 0, long.MaxValue);
        int? seed = null;
        if (Get(ModelMetadata.Seed) is { } seedText)
        {
            if (!ModelMetadata.TryParseInt(seedText, out int parsed)) throw Fail($"metadata seed is {Show(seedText)}, not a whole number");
            seed = parsed;
        }
        float? learningRate = null;
        if (Get(ModelMetadata.LearningRate) is { } rateText)
        {
            if (!ModelMetadata.TryParseRate(rateText, out float rate)) throw Fail($"metadata learning_rate is {Show(rateText)}, not a finite number from 0");
            learningRate = rate;
        }
        long? threads = Count(ModelMetadata.Threads, 1, int.MaxValue);

        long? epoch = Count(ModelMetadata.Epoch, 1, int.MaxValue);
        long? stepInEpoch = Count(ModelMetadata.StepInEpoch, 0, int.MaxValue);
        long? batchSize = Count(ModelMetadata.BatchSize, 1, int.MaxValue);
        long? trainingRows = Count(ModelMetadata.TrainingRows, 1, int.MaxValue);
        ulong[]? shuffle = State(ModelMetadata.ShuffleState);
        TrainingPosition? position = null;
        if (epoch is not null && stepInEpoch is not null && shuffle is not null)
        {
            position = new TrainingPosition((int)epoch.Value, (int)stepInEpoch.Value, shuffle)
            {
                BatchSize = (int?)batchSize,
                TrainingRows = (int?)trainingRows,
                ScheduleState = Numbers(ModelMetadata.ScheduleState, null),
                EarlyStopping = Numbers(ModelMetadata.EarlyStopping, 3) is { } e
                    ? (e[1] >= 0 && e[1] <= int.MaxValue && e[1] == Math.Floor(e[1]) && e[2] >= 0 && e[2] <= int.MaxValue && e[2] == Math.Floor(e[2])
                        ? (e[0], (int)e[1], (int)e[2])
                        : throw Fail($"metadata {ModelMetadata.EarlyStopping} is {Show(Get(ModelMetadata.EarlyStopping)!)}: its epochs are not whole numbers from 0"))
                    : null,
            };
        }
        else if ((batchSize is not null || trainingRows is not null) && epoch is null && stepInEpoch is null && shuffle is null)
        {
            throw Fail($"the metadata has a {(batchSize is not null ? ModelMetadata.BatchSize : ModelMetadata.TrainingRows)} but no training position ({ModelMetadata.Epoch}, " +
                $"{ModelMetadata.StepInEpoch} and {ModelMetadata.ShuffleState}), whose steps it is the size of");
        }
        else if (epoch is not null || stepInEpoch is not null || shuffle is not null)
        {
            throw Fail($"the metadata has only part of the training position: {ModelMetadata.Epoch}, {ModelMetadata.StepInEpoch} " +
                $"and {ModelMetadata.ShuffleState} go together");
        }
        ulong[]? dropout = State(ModelMetadata.DropoutState);
        DataSchema? data = DataSchema.FromMetadata(metadata, out string? dataProblem);
        if (dataProblem is not null) throw Fail("malformed metadata: " + dataProblem);

        return new Checkpoint(
            Get(ModelMetadata.Network), Get(ModelMetadata.SpecHash), Get(ModelMetadata.Architecture),
            position, step, seed, HasOptimizerState: step is not null, metadata)
        {
            LearningRate = learningRate,
            Threads = (int?)threads,
            DropoutState = dropout,
            Data = data,
        };
    }

    /// <summary>Checks what the metadata says against <paramref name="network"/>: its dropout and its optimizer state.</summary>
    private void CheckMetadataFits(Checkpoint checkpoint, INetwork network, bool hasStateTensors)
    {
        if (checkpoint.DropoutState is not null && network.DropoutRandom is null)
            throw Fail($"the metadata has a dropout random state but network \"{network.NetworkName}\" has no dropout");
        if (checkpoint.Data?.Standardization is { } standardization && standardization.Mean.Length != network.InputSize)
            throw Fail($"the metadata's standardization has {standardization.Mean.Length} inputs but network \"{network.NetworkName}\" takes {network.InputSize}");
        if (checkpoint.Data?.ClassNames is { } classes && classes.Count > network.ClassCount)
            throw Fail($"the metadata names {classes.Count} classes but network \"{network.NetworkName}\" has {network.ClassCount}");
        if (hasStateTensors && checkpoint.Step is null)
            throw Fail("the file has the optimizer state but no optimizer_step in its metadata, without which the optimizer cannot continue");
        if (!hasStateTensors && checkpoint.Step is not null && network.OptimizerState.Count > 0)
        {
            throw Fail($"missing tensor {network.OptimizerState[0].Name}: the metadata has an optimizer step, " +
                "so the file should hold the optimizer state");
        }
    }

    /// <summary>Refuses a NaN or infinite value: such weights would make every prediction meaningless.</summary>
    private void CheckFinite(NamedTensor tensor, byte[] data, long begin)
    {
        ReadOnlySpan<byte> bytes = data.AsSpan((int)begin, tensor.Values.Length * sizeof(float));
        for (int i = 0; i < tensor.Values.Length; i++)
        {
            float value = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i * sizeof(float)));
            if (!float.IsFinite(value))
            {
                throw Fail($"tensor {tensor.Name} holds {SafetensorsWriter.Describe(value)} at {TensorLayout.Describe(tensor.Shape, i)}; the file is not usable");
            }
        }
    }

    private ModelFormatException Fail(string problem) => ModelFile.Error(_name, problem);

    private static bool SameShape(long[] inFile, int[] inNetwork)
    {
        if (inFile.Length != inNetwork.Length) return false;
        for (int i = 0; i < inFile.Length; i++)
        {
            if (inFile[i] != inNetwork[i]) return false;
        }
        return true;
    }

    private static string ShapeText(long[] shape) => "[" + string.Join(", ", shape) + "]";

    private static string ShapeText(int[] shape) => "[" + string.Join(", ", shape) + "]";

    private static string Kind(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        _ => "value",
    };

    /// <summary>Text from the file, quoted, with control characters escaped and cut to a readable length, so that a message stays one line.</summary>
    internal static string Show(string text)
    {
        const int limit = 80;
        var shown = new StringBuilder(Math.Min(text.Length, limit) + 8);
        shown.Append('"');
        foreach (char c in text.Length > limit ? text.AsSpan(0, limit) : text.AsSpan())
        {
            if (c == '"' || c == '\\') shown.Append('\\').Append(c);
            else if (char.IsControl(c) || char.IsSurrogate(c)) shown.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else shown.Append(c);
        }
        shown.Append('"');
        if (text.Length > limit) shown.Append($"... ({text.Length} characters)");
        return shown.ToString();
    }

    private static string Shorten(string text, int limit) => text.Length <= limit ? text : text[..limit] + "...";
}
