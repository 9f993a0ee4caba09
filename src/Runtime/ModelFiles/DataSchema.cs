using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace NetGen;

/// <summary>
/// What the rows a network was trained on looked like: the names of their feature and target columns, the class names its
/// labels stand for, and the standardization of its inputs. A model file keeps it in its metadata (not as tensors, so the
/// tensors stay exactly a PyTorch module's <c>state_dict</c>), and <c>eval</c> and <c>predict</c> use it to read raw rows as
/// training did and to print class names.
/// </summary>
public sealed record DataSchema
{
    internal const string FeaturesKey = "data_features", TargetsKey = "data_targets", ClassesKey = "class_names";
    internal const string MeanKey = "input_mean", ScaleKey = "input_scale";

    /// <summary>The feature columns, in the order the network takes them; null when unknown.</summary>
    public IReadOnlyList<string>? FeatureNames { get; init; }

    /// <summary>The label or target column(s); null when unknown.</summary>
    public IReadOnlyList<string>? TargetNames { get; init; }

    /// <summary>What each class index stands for (index 0 first); null for numbered classes or float targets.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>The standardization applied to every input row before the network (training, evaluation, prediction); null for none.</summary>
    public Standardization? Standardization { get; init; }

    /// <summary>
    /// Raw rows as the network was trained on them: <paramref name="rows"/> standardized as in training (a view, nothing
    /// copied), or as they are when there was no standardization. Give it to <see cref="Evaluator"/> or read batches from it.
    /// </summary>
    public IDataset Apply(IDataset rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return Standardization is { } s ? Datasets.Standardized(rows, s) : rows;
    }

    /// <summary>Standardizes raw rows in place as in training (whole rows of the network's input size; nothing without a standardization).</summary>
    public void Apply(Span<float> rows) => Standardization?.Apply(rows);

    /// <summary>The name of class <paramref name="index"/>: its class name, or the number.</summary>
    public string ClassName(int index) =>
        ClassNames is { } names && index >= 0 && index < names.Count ? names[index] : index.ToString(CultureInfo.InvariantCulture);

    /// <summary>The metadata entries that hold it.</summary>
    internal IEnumerable<KeyValuePair<string, string>> ToMetadata()
    {
        if (FeatureNames is not null) yield return new(FeaturesKey, JsonArray(FeatureNames));
        if (TargetNames is not null) yield return new(TargetsKey, JsonArray(TargetNames));
        if (ClassNames is not null) yield return new(ClassesKey, JsonArray(ClassNames));
        if (Standardization is { } s)
        {
            yield return new(MeanKey, Floats(s.Mean));
            yield return new(ScaleKey, Floats(s.Scale));
        }
    }

    /// <summary>The schema in a file's metadata, or null when it has none; <paramref name="problem"/> says what is malformed.</summary>
    internal static DataSchema? FromMetadata(IReadOnlyDictionary<string, string> metadata, out string? problem)
    {
        problem = null;
        string? Get(string key) => metadata.TryGetValue(key, out string? value) ? value : null;
        string? features = Get(FeaturesKey), targets = Get(TargetsKey), classes = Get(ClassesKey), mean = Get(MeanKey), scale = Get(ScaleKey);
        if (features is null && targets is null && classes is null && mean is null && scale is null) return null;
        try
        {
            Standardization? standardization = null;
            if (mean is not null || scale is not null)
            {
                if (mean is null || scale is null) throw new FormatException($"{MeanKey} and {ScaleKey} go together");
                standardization = new Standardization(ParseFloats(mean, MeanKey), ParseFloats(scale, ScaleKey));
            }
            return new DataSchema
            {
                FeatureNames = features is null ? null : ParseArray(features, FeaturesKey),
                TargetNames = targets is null ? null : ParseArray(targets, TargetsKey),
                ClassNames = classes is null ? null : ParseArray(classes, ClassesKey),
                Standardization = standardization,
            };
        }
        catch (Exception e) when (e is FormatException or ArgumentException or JsonException)
        {
            problem = e.Message;
            return null;
        }
    }

    private static string JsonArray(IReadOnlyList<string> items)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (string item in items) writer.WriteStringValue(item);
            writer.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string[] ParseArray(string json, string key)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Array) throw new FormatException($"{key} is not a JSON array of names");
        return document.RootElement.EnumerateArray()
            .Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new FormatException($"{key} is not a JSON array of names"))
            .ToArray();
    }

    private static string Floats(float[] values) => string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    private static float[] ParseFloats(string text, string key) => text.Split(',').Select(part =>
        float.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) && float.IsFinite(value)
            ? value
            : throw new FormatException($"{key} holds \"{(part.Length > 20 ? part[..20] + "..." : part)}\", not a finite number")).ToArray();
}
