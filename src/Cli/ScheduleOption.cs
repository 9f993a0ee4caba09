using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace NetGen.Cli;

/// <summary>
/// <c>--schedule TYPE[:NAME=VALUE,...]</c>: a learning-rate schedule written as in nets.json's <c>training.schedule</c>, e.g.
/// <c>step:step_size=30,gamma=0.5</c>, <c>cosine</c>, <c>warmup_cosine:warmup_steps=100</c>, <c>reduce_on_plateau:factor=0.5,patience=5</c>.
/// </summary>
internal static class ScheduleOption
{
    private static readonly Dictionary<string, string[]> Keys = new()
    {
        ["step"] = ["step_size", "gamma"],
        ["exponential"] = ["gamma"],
        ["cosine"] = ["t_max", "eta_min"],
        ["warmup_cosine"] = ["warmup_steps", "start_factor", "eta_min"],
        ["reduce_on_plateau"] = ["factor", "patience", "threshold", "cooldown", "min_lr"],
    };

    /// <summary>The schedule <paramref name="text"/> describes.</summary>
    /// <exception cref="UsageException">An unknown type or setting, a value that is not a number, or one out of range.</exception>
    public static ScheduleSettings Parse(string text)
    {
        string[] parts = text.Split(':', 2);
        string type = parts[0].Trim();
        if (!Keys.TryGetValue(type, out string[]? known))
            throw new UsageException($"--schedule: unknown type \"{type}\"; the types are {string.Join(", ", Keys.Keys)} (e.g. step:step_size=30,gamma=0.5).");
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string setting in parts.Length == 1 ? [] : parts[1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            string[] pair = setting.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length != 2 || !known.Contains(pair[0]))
                throw new UsageException($"--schedule {type}: unknown setting \"{pair[0]}\"; {type} takes {string.Join(", ", known)}.");
            if (!double.TryParse(pair[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
                throw new UsageException($"--schedule {type}: {pair[0]} needs a number; got \"{pair[1]}\".");
            values[pair[0]] = value;
        }
        double? Get(string key) => values.TryGetValue(key, out double v) ? v : null;
        int? Whole(string key) => Get(key) is double v ? (v == Math.Floor(v) && v >= int.MinValue && v <= int.MaxValue ? (int)v
            : throw new UsageException($"--schedule {type}: {key} needs a whole number; got {v.ToString(CultureInfo.InvariantCulture)}.")) : null;
        double Required(string key) => Get(key) ?? throw new UsageException($"--schedule {type}: {key} is required (e.g. {type}:{key}=...).");
        try
        {
            return type switch
            {
                "step" => ScheduleSettings.Step(Whole("step_size") ?? (int)Required("step_size"), Get("gamma") ?? 0.1),
                "exponential" => ScheduleSettings.Exponential(Required("gamma")),
                "cosine" => ScheduleSettings.Cosine(Whole("t_max"), Get("eta_min") ?? 0),
                "warmup_cosine" => ScheduleSettings.WarmupCosine(Whole("warmup_steps") ?? (int)Required("warmup_steps"), Get("start_factor") ?? 1.0 / 3, Get("eta_min") ?? 0),
                _ => ScheduleSettings.ReduceOnPlateau(Get("factor") ?? 0.1, Whole("patience") ?? 10, Get("threshold") ?? 1e-4, Whole("cooldown") ?? 0, Get("min_lr") ?? 0),
            };
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new UsageException($"--schedule {text}: {e.Message.Split(" (Parameter", 2)[0]}");
        }
    }
}
