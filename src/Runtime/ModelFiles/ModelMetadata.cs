using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace NetGen;

/// <summary>
/// The <c>__metadata__</c> entries of a NetGen model file: their keys, in the order they are written, and how their
/// values are formatted and parsed. The safetensors format allows only strings as metadata values, so numbers are
/// written with the invariant culture and random states as four 16-digit hexadecimal words separated by commas.
/// </summary>
internal static class ModelMetadata
{
    /// <summary><c>pt</c>: the tensors are PyTorch's (the value Hugging Face's tools write and expect).</summary>
    public const string Format = "format";

    /// <summary>The network's name in <c>nets.json</c>.</summary>
    public const string Network = "network";

    /// <summary>The network's <see cref="INetwork.SpecHash"/> (16 hex digits).</summary>
    public const string SpecHash = "spec_hash";

    /// <summary>The network's <see cref="INetwork.Architecture"/>.</summary>
    public const string Architecture = "architecture";

    /// <summary>The network's <see cref="INetwork.Seed"/>, a decimal integer.</summary>
    public const string Seed = "seed";

    /// <summary>The optimizer's step count (<see cref="INetwork.Step"/>), a decimal integer.</summary>
    public const string OptimizerStep = "optimizer_step";

    /// <summary>The learning rate at the time of saving, a round-trip decimal float (information only: loading does not set it).</summary>
    public const string LearningRate = "learning_rate";

    /// <summary>The network's training threads (information only: a seed gives the same weights only with the same count).</summary>
    public const string Threads = "threads";

    /// <summary><see cref="TrainingPosition.Epoch"/>, a decimal integer from 1.</summary>
    public const string Epoch = "epoch";

    /// <summary><see cref="TrainingPosition.StepInEpoch"/>, a decimal integer from 0.</summary>
    public const string StepInEpoch = "step_in_epoch";

    /// <summary><see cref="TrainingPosition.BatchSize"/>, a decimal integer from 1 (not in files of 0.1.0).</summary>
    public const string BatchSize = "batch_size";

    /// <summary><see cref="TrainingPosition.TrainingRows"/>, a decimal integer from 1 (not in files of 0.1.0).</summary>
    public const string TrainingRows = "training_rows";

    /// <summary><see cref="TrainingPosition.ShuffleState"/>: four hexadecimal words.</summary>
    public const string ShuffleState = "shuffle_state";

    /// <summary>The state of <see cref="INetwork.DropoutRandom"/>: four hexadecimal words (only for a network with dropout).</summary>
    public const string DropoutState = "dropout_state";

    /// <summary>The learning-rate schedule's state at the training position (<see cref="TrainingPosition.ScheduleState"/>): numbers separated by commas.</summary>
    public const string ScheduleState = "schedule_state";

    /// <summary>Early stopping's count at the training position (<see cref="TrainingPosition.EarlyStopping"/>): best loss, best epoch, epochs since.</summary>
    public const string EarlyStopping = "early_stopping";

    /// <summary>The entries of a network, in the order they are written.</summary>
    public static List<KeyValuePair<string, string>> Describe(INetwork network, TrainingPosition? position, DataSchema? data = null)
    {
        var entries = new List<KeyValuePair<string, string>>
        {
            new(Format, "pt"),
            new(Network, network.NetworkName),
            new(SpecHash, network.SpecHash),
            new(Architecture, network.Architecture),
            new(Seed, network.Seed.ToString(CultureInfo.InvariantCulture)),
            new(OptimizerStep, network.Step.ToString(CultureInfo.InvariantCulture)),
            new(Threads, network.Threads.ToString(CultureInfo.InvariantCulture)),
        };
        // Information only; a rate that could not be read back (NaN, negative) is left out rather than make the file unloadable.
        if (float.IsFinite(network.LearningRate) && network.LearningRate >= 0)
            entries.Insert(entries.Count - 1, new(LearningRate, network.LearningRate.ToString("R", CultureInfo.InvariantCulture)));
        if (position is not null)
        {
            entries.Add(new(Epoch, position.Epoch.ToString(CultureInfo.InvariantCulture)));
            entries.Add(new(StepInEpoch, position.StepInEpoch.ToString(CultureInfo.InvariantCulture)));
            if (position.BatchSize is int batchSize) entries.Add(new(BatchSize, batchSize.ToString(CultureInfo.InvariantCulture)));
            if (position.TrainingRows is int rows) entries.Add(new(TrainingRows, rows.ToString(CultureInfo.InvariantCulture)));
            entries.Add(new(ShuffleState, FormatState(position.ShuffleState)));
            if (position.ScheduleState is { } schedule) entries.Add(new(ScheduleState, FormatNumbers(schedule)));
            if (position.EarlyStopping is var (bestLoss, bestEpoch, since))
                entries.Add(new(EarlyStopping, FormatNumbers([bestLoss, bestEpoch, since])));
        }
        if (network.DropoutRandom is { } dropout) entries.Add(new(DropoutState, FormatState(dropout.GetState())));
        if (data is not null) entries.AddRange(data.ToMetadata());
        return entries;
    }

    /// <summary>Doubles as <c>R</c>-formatted invariant text separated by commas (they read back bit for bit; infinity as <c>Infinity</c>).</summary>
    public static string FormatNumbers(ReadOnlySpan<double> values)
    {
        var parts = new string[values.Length];
        for (int i = 0; i < values.Length; i++) parts[i] = values[i].ToString("R", CultureInfo.InvariantCulture);
        return string.Join(",", parts);
    }

    /// <summary>Reads <see cref="FormatNumbers"/>' text; false for anything else (NaN included).</summary>
    public static bool TryParseNumbers(string text, out double[] values)
    {
        string[] parts = text.Split(',');
        values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || double.IsNaN(values[i])) return false;
        }
        return parts.Length > 0;
    }

    /// <summary>A random state as <c>0123456789abcdef,...</c>: four words of 16 lower-case hex digits.</summary>
    public static string FormatState(ReadOnlySpan<ulong> state)
    {
        var text = new StringBuilder(4 * 17);
        for (int i = 0; i < state.Length; i++)
        {
            if (i > 0) text.Append(',');
            text.Append(state[i].ToString("x16", CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }

    /// <summary>Parses <see cref="FormatState"/>'s text: four comma-separated words of 1 to 16 hex digits, not all zero.</summary>
    public static bool TryParseState(string text, out ulong[] state)
    {
        state = new ulong[4];
        string[] words = text.Split(',');
        if (words.Length != 4) return false;
        for (int i = 0; i < 4; i++)
        {
            if (words[i].Length is 0 or > 16) return false;
            if (!ulong.TryParse(words[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out state[i])) return false;
        }
        return (state[0] | state[1] | state[2] | state[3]) != 0;
    }

    /// <summary>A decimal integer without sign, spaces or separators, at least <paramref name="minimum"/>.</summary>
    public static bool TryParseCount(string text, long minimum, long maximum, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= minimum && value <= maximum;

    /// <summary>A decimal integer with an optional minus sign.</summary>
    public static bool TryParseInt(string text, out int value) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    /// <summary>A finite, non-negative float as written by <see cref="Describe"/>.</summary>
    public static bool TryParseRate(string text, out float value) =>
        float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && float.IsFinite(value) && value >= 0;
}
