using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace NetGen.Tests.Training;

/// <summary>
/// Fixtures/pytorch/schedules.json (made by make_schedules.py): the learning rates torch 1.13's schedulers gave before each
/// optimizer step, and the NetGen schedule built from the same settings (PyTorch's argument names, read here).
/// </summary>
internal static class ScheduleFixtures
{
    public sealed record Case(string Name, JsonElement Json, double BaseRate, double[] Rates, double[]? Metrics)
    {
        /// <summary>A fresh schedule with this case's settings.</summary>
        public LearningRateSchedule Create() => Json.GetProperty("kind").GetString() == "sequential_lr"
            ? new SequentialLR(Json.GetProperty("schedules").EnumerateArray().Select(Build).ToArray(),
                Json.GetProperty("milestones").EnumerateArray().Select(m => m.GetInt32()).ToArray())
            : Build(Json);
    }

    private static readonly Lazy<Dictionary<string, Case>> s_cases = new(Load);

    public static IReadOnlyDictionary<string, Case> Cases => s_cases.Value;

    public static IEnumerable<object[]> Names => Cases.Keys.Select(n => new object[] { n });

    public static IEnumerable<object[]> NamesOf(string kind) =>
        Cases.Values.Where(c => c.Json.GetProperty("kind").GetString() == kind).Select(c => new object[] { c.Name });

    private static Dictionary<string, Case> Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "pytorch", "schedules.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
        var cases = new Dictionary<string, Case>();
        foreach (JsonElement c in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            JsonElement json = c.Clone();
            double[]? metrics = json.TryGetProperty("metrics", out JsonElement m) ? m.EnumerateArray().Select(v => v.GetDouble()).ToArray() : null;
            cases.Add(json.GetProperty("name").GetString()!, new Case(json.GetProperty("name").GetString()!, json,
                json.GetProperty("base_lr").GetDouble(), json.GetProperty("rates").EnumerateArray().Select(v => v.GetDouble()).ToArray(), metrics));
        }
        return cases;
    }

    /// <summary>One scheduler from its kind and PyTorch's keyword arguments (in "settings", or beside "kind" in a sequence).</summary>
    private static LearningRateSchedule Build(JsonElement spec)
    {
        JsonElement s = spec.TryGetProperty("settings", out JsonElement settings) ? settings : spec;
        double D(string name, double fallback) => s.TryGetProperty(name, out JsonElement v) ? v.GetDouble() : fallback;
        int I(string name, int fallback) => s.TryGetProperty(name, out JsonElement v) ? v.GetInt32() : fallback;
        string S(string name, string fallback) => s.TryGetProperty(name, out JsonElement v) ? v.GetString()! : fallback;
        var known = new HashSet<string> { "kind", "step_size", "gamma", "T_max", "eta_min", "start_factor", "end_factor", "total_iters",
            "mode", "factor", "patience", "threshold", "threshold_mode", "cooldown", "min_lr", "eps" };
        foreach (JsonProperty p in s.EnumerateObject())
        {
            if (!known.Contains(p.Name)) throw new InvalidDataException($"Setting {p.Name} is not read by this test.");
        }
        return spec.GetProperty("kind").GetString() switch
        {
            "step_lr" => s.TryGetProperty("gamma", out _) ? new StepLR(I("step_size", -1), D("gamma", double.NaN)) : new StepLR(I("step_size", -1)),
            "exponential_lr" => new ExponentialLR(D("gamma", double.NaN)),
            "cosine_annealing_lr" => s.TryGetProperty("eta_min", out _) ? new CosineAnnealingLR(I("T_max", -1), D("eta_min", double.NaN)) : new CosineAnnealingLR(I("T_max", -1)),
            "linear_lr" => LinearFrom(s),
            "reduce_lr_on_plateau" when !s.EnumerateObject().Any() => new ReduceLROnPlateau(),
            "reduce_lr_on_plateau" => new ReduceLROnPlateau(
                S("mode", "min") == "min" ? PlateauMode.Min : PlateauMode.Max,
                D("factor", 0.1), I("patience", 10), D("threshold", 1e-4),
                S("threshold_mode", "rel") == "rel" ? PlateauThresholdMode.Relative : PlateauThresholdMode.Absolute,
                I("cooldown", 0), D("min_lr", 0), D("eps", 1e-8)),
            var kind => throw new InvalidDataException($"Unknown scheduler {kind}."),
        };
    }

    // The defaults are the C# constructor's own when PyTorch's call left them out, so the fixture tests them too.
    private static LinearLR LinearFrom(JsonElement s) =>
        s.TryGetProperty("start_factor", out JsonElement sf)
            ? new LinearLR(sf.GetDouble(), s.GetProperty("end_factor").GetDouble(), s.GetProperty("total_iters").GetInt32())
            : new LinearLR();
}
