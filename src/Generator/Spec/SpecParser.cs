using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;

namespace NetGen.Generator.Spec;

/// <summary>
/// Reads and validates a nets.json document. Every problem becomes a diagnostic pointing at the
/// offending token; a network with any error is left out of the result (its name is kept so that
/// binding does not report it as missing as well).
/// </summary>
internal sealed class SpecParser
{
    /// <summary>The largest network NetGen accepts (parameters, all tensors together).</summary>
    public const long MaxParameters = 100_000_000;

    public static readonly string[] Activations = { "relu", "identity" };
    public static readonly string[] Losses = { "cross_entropy" };
    public static readonly string[] Optimizers = { "adam" };

    private static readonly string[] RootProperties = { "$schema", "networks" };
    private static readonly string[] NetworkProperties = { "input", "layers", "shape", "activation", "loss", "optimizer", "training" };
    private static readonly string[] LayerProperties = { "type", "name", "units", "activation" };
    private static readonly string[] OptimizerProperties = { "type", "lr", "beta1", "beta2", "eps" };
    private static readonly string[] TrainingProperties = { "batch_size", "epochs", "seed" };

    private readonly string _path;
    private readonly SourceText _text;
    private readonly List<DiagnosticInfo> _diagnostics = new();

    private SpecParser(string path, SourceText text)
    {
        _path = path;
        _text = text;
    }

    public static SpecFile Parse(string path, SourceText? text)
    {
        text ??= SourceText.From("");
        var parser = new SpecParser(path, text);
        var networks = new List<NetworkSpec>();
        var invalid = new List<string>();
        bool readable = parser.ParseDocument(networks, invalid);
        return new SpecFile(path, new EquatableArray<NetworkSpec>(networks), new EquatableArray<string>(invalid), new EquatableArray<DiagnosticInfo>(parser._diagnostics), readable);
    }

    /// <returns>False if the document is not JSON or has no readable "networks" object.</returns>
    private bool ParseDocument(List<NetworkSpec> networks, List<string> invalid)
    {
        string content = _text.ToString();
        if (content.Trim('\uFEFF', ' ', '\t', '\r', '\n').Length == 0)
        {
            Report(DiagnosticDescriptors.MalformedJson, new TextSpan(0, 0), "the file is empty; it needs an object such as { \"networks\": { ... } }");
            return false;
        }
        JsonNode? root = JsonReader.Parse(content, out JsonSyntaxError? error);
        if (root is null)
        {
            Report(DiagnosticDescriptors.MalformedJson, error!.Span, error.Message);
            return false;
        }
        if (!ExpectKind(root, JsonKind.Object, "the document", "an object such as { \"networks\": { ... } }")) return false;
        CheckProperties(root, RootProperties, "the document");
        JsonProperty? networksProperty = root.Find("networks");
        if (networksProperty is null)
        {
            Report(DiagnosticDescriptors.MissingProperty, new TextSpan(root.Span.Start, 1), "The document", "networks", ", an object of networks by name");
            return false;
        }
        JsonNode networksNode = networksProperty.Value;
        if (!ExpectKind(networksNode, JsonKind.Object, "networks", "an object of networks by name, such as { \"mnist\": { ... } }")) return false;
        foreach (JsonProperty network in networksNode.Properties)
        {
            int errorsBefore = _diagnostics.Count;
            NetworkSpec? spec = ParseNetwork(network);
            if (spec is not null && _diagnostics.Count == errorsBefore) networks.Add(spec);
            else invalid.Add(network.Name);
        }
        return true;
    }

    private NetworkSpec? ParseNetwork(JsonProperty property)
    {
        string name = property.Name;
        JsonNode node = property.Value;
        string where = $"network \"{name}\"";
        if (!IsIdentifierLike(name))
        {
            Report(DiagnosticDescriptors.OutOfRange, property.NameSpan, "network name", Quote(name), "a name of letters, digits, '_' or '-', starting with a letter");
        }
        if (!ExpectKind(node, JsonKind.Object, name, "an object describing the network")) return null;
        CheckProperties(node, NetworkProperties, where);

        List<DenseLayer>? layers = null;
        int input = 0;
        JsonProperty? shape = node.Find("shape");
        JsonProperty? layersProperty = node.Find("layers");
        if (shape is not null)
        {
            if (layersProperty is not null)
                Report(DiagnosticDescriptors.ConflictingProperties, shape.NameSpan, $"Network \"{name}\" has both \"shape\" and \"layers\"; keep one of them");
            if (node.Find("input") is JsonProperty inputWithShape)
                Report(DiagnosticDescriptors.ConflictingProperties, inputWithShape.NameSpan, $"Network \"{name}\" has both \"shape\" and \"input\"; \"shape\" already starts with the input size");
            layers = ParseShape(shape.Value, node, out input);
        }
        else
        {
            if (node.Find("activation") is JsonProperty stray)
                Report(DiagnosticDescriptors.ConflictingProperties, stray.NameSpan, $"A network-level \"activation\" only goes with \"shape\"; with \"layers\", give each layer its own \"activation\"");
            bool hasInput = ReadInt(node, "input", where, null, 1, int.MaxValue, "at least 1", out input, anchor: property.NameSpan);
            if (layersProperty is null)
            {
                Report(DiagnosticDescriptors.MissingProperty, property.NameSpan, Capitalize(where), "layers", " (or the shorthand \"shape\": \"784-128-10\")");
            }
            else if (hasInput)
            {
                layers = ParseLayers(layersProperty.Value, input);
            }
        }

        LossKind loss = ParseLoss(node);
        AdamOptimizer optimizer = ParseOptimizer(node, where);
        TrainingSpec training = ParseTraining(node, where);
        if (layers is null || layers.Count == 0) return null;

        var spec = new NetworkSpec(name, input, new EquatableArray<DenseLayer>(layers), loss, optimizer, training);
        if (spec.ParameterCount > MaxParameters)
        {
            Report(DiagnosticDescriptors.NetworkTooLarge, property.NameSpan, name, spec.ParameterCount.ToString("N0", CultureInfo.InvariantCulture), MaxParameters.ToString("N0", CultureInfo.InvariantCulture));
            return null;
        }
        long widest = Math.Max(input, layers.Max(l => (long)l.Units));
        long maxBatch = (int.MaxValue / 4) / widest;
        if (training.BatchSize > maxBatch)
        {
            TextSpan batchSpan = node.Find("training")?.Value.Find("batch_size")?.Value.Span ?? property.NameSpan;
            Report(DiagnosticDescriptors.OutOfRange, batchSpan, "batch_size", training.BatchSize.ToString(CultureInfo.InvariantCulture),
                $"at most {maxBatch} for this network: a batch buffer of {widest}-wide rows must stay under 2^29 values");
            return null;
        }
        if (loss == LossKind.CrossEntropy && spec.OutputSize < 2)
        {
            ReportAtLastLayer(layersProperty ?? shape, spec.OutputSize);
            return null;
        }
        return spec;
    }

    private void ReportAtLastLayer(JsonProperty? layers, int outputs)
    {
        TextSpan span = layers is null ? default : layers.Value.Span;
        if (layers is not null && layers.Value.Kind == JsonKind.Array && layers.Value.Items.Count > 0)
        {
            JsonNode last = layers.Value.Items[layers.Value.Items.Count - 1];
            span = last.Find("units")?.Value.Span ?? last.Span;
        }
        Report(DiagnosticDescriptors.OutOfRange, span, "units", outputs.ToString(CultureInfo.InvariantCulture) + " in the output layer", "at least 2, since cross_entropy needs one output per class");
    }

    private List<DenseLayer>? ParseShape(JsonNode shape, JsonNode network, out int input)
    {
        input = 0;
        if (!ExpectKind(shape, JsonKind.String, "shape", "a string such as \"784-128-64-10\"")) return null;
        string[] parts = shape.Text.Split('-');
        var sizes = new List<int>();
        foreach (string part in parts)
        {
            string trimmed = part.Trim();
            if (!int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out int size) || size < 1)
            {
                Report(DiagnosticDescriptors.InvalidShape, shape.Span, trimmed.Length == 0 ? "a size is missing" : $"\"{trimmed}\" is not a positive whole number");
                return null;
            }
            sizes.Add(size);
        }
        if (sizes.Count < 2)
        {
            Report(DiagnosticDescriptors.InvalidShape, shape.Span, "it has only one size");
            return null;
        }
        Activation hidden = Activation.Identity;
        if (network.Find("activation") is JsonProperty activation) hidden = ParseActivation(activation.Value);
        input = sizes[0];
        var layers = new List<DenseLayer>();
        for (int i = 1; i < sizes.Count; i++)
        {
            bool last = i == sizes.Count - 1;
            layers.Add(new DenseLayer("fc" + i.ToString(CultureInfo.InvariantCulture), sizes[i - 1], sizes[i], last ? Activation.Identity : hidden));
        }
        return layers;
    }

    private List<DenseLayer>? ParseLayers(JsonNode node, int input)
    {
        if (!ExpectKind(node, JsonKind.Array, "layers", "an array of layers such as [{ \"units\": 128, \"activation\": \"relu\" }, { \"units\": 10 }]")) return null;
        if (node.Items.Count == 0)
        {
            Report(DiagnosticDescriptors.OutOfRange, node.Span, "layers", "empty", "at least one layer; the last layer's units are the outputs");
            return null;
        }
        var layers = new List<DenseLayer>();
        // Keyed by the C# member name a layer name becomes (fc_2 and FC2 both become Fc2...), ignoring case.
        var names = new Dictionary<string, TextSpan>(StringComparer.OrdinalIgnoreCase);
        int inputs = input;
        bool valid = true;
        for (int i = 0; i < node.Items.Count; i++)
        {
            JsonNode layer = node.Items[i];
            string where = $"layer {i + 1}";
            if (!ExpectKind(layer, JsonKind.Object, where, "an object such as { \"units\": 128, \"activation\": \"relu\" }"))
            {
                valid = false;
                continue;
            }
            CheckProperties(layer, LayerProperties, where);
            if (layer.Find("type") is JsonProperty type && ReadString(type.Value, "type", out string typeName) && typeName != "dense")
                Report(DiagnosticDescriptors.UnknownValue, type.Value.Span, "layer type", typeName, "dense");

            string name = "fc" + (i + 1).ToString(CultureInfo.InvariantCulture);
            if (layer.Find("name") is JsonProperty nameProperty && ReadString(nameProperty.Value, "name", out string custom))
            {
                if (!IsIdentifier(custom))
                    Report(DiagnosticDescriptors.InvalidLayerName, nameProperty.Value.Span, $"Layer name \"{custom}\" must start with a letter and hold only letters, digits and '_' (it becomes C# member names)");
                else name = custom;
            }
            string memberKey = name.Replace("_", "");
            if (names.ContainsKey(memberKey))
                Report(DiagnosticDescriptors.InvalidLayerName, layer.Find("name")?.Value.Span ?? layer.Span, $"Layer name \"{name}\" clashes with an earlier layer (names become C# members such as {char.ToUpperInvariant(memberKey[0]) + memberKey.Substring(1)}Weight, so case and '_' do not tell them apart)");
            names[memberKey] = layer.Span;

            if (!ReadInt(layer, "units", where, null, 1, int.MaxValue, "at least 1", out int units, anchor: new TextSpan(layer.Span.Start, 1)))
            {
                valid = false;
                continue;
            }
            Activation activation = Activation.Identity;
            if (layer.Find("activation") is JsonProperty activationProperty) activation = ParseActivation(activationProperty.Value);
            layers.Add(new DenseLayer(name, inputs, units, activation));
            inputs = units;
        }
        return valid ? layers : null;
    }

    private Activation ParseActivation(JsonNode node)
    {
        if (!ReadString(node, "activation", out string value)) return Activation.Identity;
        switch (value)
        {
            case "relu": return Activation.Relu;
            case "identity": return Activation.Identity;
            default:
                ReportUnknownValue(node, "activation", value, Activations);
                return Activation.Identity;
        }
    }

    private LossKind ParseLoss(JsonNode network)
    {
        if (network.Find("loss") is not JsonProperty loss) return LossKind.CrossEntropy;
        if (!ReadString(loss.Value, "loss", out string value)) return LossKind.CrossEntropy;
        if (value != "cross_entropy") ReportUnknownValue(loss.Value, "loss", value, Losses);
        return LossKind.CrossEntropy;
    }

    private AdamOptimizer ParseOptimizer(JsonNode network, string networkWhere)
    {
        var defaults = new AdamOptimizer(0.001f, 0.9, 0.999, 1e-8f);
        if (network.Find("optimizer") is not JsonProperty property) return defaults;
        JsonNode node = property.Value;
        if (!ExpectKind(node, JsonKind.Object, "optimizer", "an object such as { \"type\": \"adam\", \"lr\": 0.001 }")) return defaults;
        string where = $"the optimizer of {networkWhere}";
        CheckProperties(node, OptimizerProperties, where);
        if (node.Find("type") is JsonProperty type)
        {
            if (ReadString(type.Value, "type", out string value) && value != "adam") ReportUnknownValue(type.Value, "optimizer", value, Optimizers);
        }
        else
        {
            Report(DiagnosticDescriptors.MissingProperty, property.NameSpan, Capitalize(where), "type", ": \"adam\"");
        }
        float lr = (float)ReadNumber(node, "lr", defaults.LearningRate, x => x > 0, "greater than 0");
        double beta1 = ReadNumber(node, "beta1", defaults.Beta1, x => x >= 0 && x < 1, "in [0, 1)");
        double beta2 = ReadNumber(node, "beta2", defaults.Beta2, x => x >= 0 && x < 1, "in [0, 1)");
        float eps = (float)ReadNumber(node, "eps", defaults.Epsilon, x => x > 0, "greater than 0 (it keeps the update's denominator away from 0)");
        return new AdamOptimizer(lr, beta1, beta2, eps);
    }

    private TrainingSpec ParseTraining(JsonNode network, string networkWhere)
    {
        var defaults = new TrainingSpec(32, 5, 0);
        if (network.Find("training") is not JsonProperty property) return defaults;
        JsonNode node = property.Value;
        if (!ExpectKind(node, JsonKind.Object, "training", "an object such as { \"batch_size\": 32, \"epochs\": 5, \"seed\": 1 }")) return defaults;
        string where = $"the training section of {networkWhere}";
        CheckProperties(node, TrainingProperties, where);
        ReadInt(node, "batch_size", where, defaults.BatchSize, 1, 1 << 20, "between 1 and 1048576", out int batch);
        ReadInt(node, "epochs", where, defaults.Epochs, 1, 1_000_000, "between 1 and 1000000", out int epochs);
        ReadInt(node, "seed", where, defaults.Seed, int.MinValue, int.MaxValue, "a 32-bit integer", out int seed);
        return new TrainingSpec(batch, epochs, seed);
    }

    private bool ReadInt(JsonNode obj, string name, string where, int? fallback, long min, long max, string range, out int value, TextSpan anchor = default)
    {
        value = fallback ?? 0;
        JsonProperty? property = obj.Find(name);
        if (property is null)
        {
            if (fallback is null)
            {
                Report(DiagnosticDescriptors.MissingProperty, anchor.Length > 0 ? anchor : new TextSpan(obj.Span.Start, 1), Capitalize(where), name, "");
                return false;
            }
            return true;
        }
        JsonNode node = property.Value;
        if (node.Kind != JsonKind.Number || node.Text.IndexOfAny(new[] { '.', 'e', 'E' }) >= 0)
        {
            Report(DiagnosticDescriptors.WrongType, node.Span, name, $"a whole number, not {(node.Kind == JsonKind.Number ? "a fraction" : node.Describe())}");
            return false;
        }
        if (!long.TryParse(node.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long parsed) || parsed < min || parsed > max)
        {
            Report(DiagnosticDescriptors.OutOfRange, node.Span, name, node.Text, range);
            return false;
        }
        value = (int)parsed;
        return true;
    }

    /// <summary>A number whose float rounding (what the generated code computes with) satisfies <paramref name="valid"/>.</summary>
    private double ReadNumber(JsonNode obj, string name, double fallback, Func<float, bool> valid, string range)
    {
        JsonProperty? property = obj.Find(name);
        if (property is null) return fallback;
        JsonNode node = property.Value;
        if (node.Kind != JsonKind.Number)
        {
            Report(DiagnosticDescriptors.WrongType, node.Span, name, $"a number, not {node.Describe()}");
            return fallback;
        }
        // The check applies to the float the generated code will use: 1e-50 rounds to 0 and 0.99999999999 to 1.
        if (!double.TryParse(node.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed)
            || float.IsInfinity((float)parsed) || !valid((float)parsed))
        {
            string why = float.IsInfinity((float)parsed) ? range + " and fit in a float" : range + ((float)parsed != parsed ? " as a float" : "");
            Report(DiagnosticDescriptors.OutOfRange, node.Span, name, node.Text, why);
            return fallback;
        }
        return parsed;
    }

    private bool ReadString(JsonNode node, string name, out string value)
    {
        value = node.Text;
        if (node.Kind == JsonKind.String) return true;
        Report(DiagnosticDescriptors.WrongType, node.Span, name, $"a string, not {node.Describe()}");
        return false;
    }

    private bool ExpectKind(JsonNode node, JsonKind kind, string name, string expected)
    {
        if (node.Kind == kind) return true;
        Report(DiagnosticDescriptors.WrongType, node.Span, name, $"{expected}, not {node.Describe()}");
        return false;
    }

    private void CheckProperties(JsonNode node, string[] known, string where)
    {
        foreach (JsonProperty property in node.Properties)
        {
            if (Array.IndexOf(known, property.Name) >= 0) continue;
            string? suggestion = Suggest(property.Name, known);
            string hint = suggestion is null
                ? "; known properties: " + string.Join(", ", known)
                : $"; did you mean \"{suggestion}\"?";
            Report(DiagnosticDescriptors.UnknownProperty, property.NameSpan, property.Name, where, hint);
        }
    }

    private void ReportUnknownValue(JsonNode node, string what, string value, string[] valid)
    {
        string list = string.Join(", ", valid);
        string? suggestion = Suggest(value, valid);
        if (suggestion is not null) list += $" (did you mean \"{suggestion}\"?)";
        Report(DiagnosticDescriptors.UnknownValue, node.Span, what, value, list);
    }

    /// <summary>The closest known word within two edits (or differing only in case, '-' or '_'), if any.</summary>
    internal static string? Suggest(string word, IEnumerable<string> known)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in known)
        {
            int distance = Normalize(word) == Normalize(candidate) ? 0 : EditDistance(word.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = candidate;
            }
        }
        return bestDistance <= Math.Min(2, Math.Max(1, word.Length / 3)) ? best : null;

        static string Normalize(string s) => s.Replace("_", "").Replace("-", "").ToLowerInvariant();
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    private static bool IsIdentifier(string s)
    {
        if (s.Length == 0 || !IsAsciiLetter(s[0])) return false;
        foreach (char c in s)
        {
            if (!(IsAsciiLetter(c) || (c >= '0' && c <= '9') || c == '_')) return false;
        }
        return true;
    }

    private static bool IsIdentifierLike(string s) => s.Length > 0 && IsAsciiLetter(s[0]) && s.All(c => IsAsciiLetter(c) || (c >= '0' && c <= '9') || c == '_' || c == '-');

    private static bool IsAsciiLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s.Substring(1);

    private static string Quote(string s) => "\"" + s + "\"";

    private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, TextSpan span, params string[] arguments)
    {
        if (span.End > _text.Length) span = new TextSpan(Math.Min(span.Start, _text.Length), 0);
        _diagnostics.Add(DiagnosticInfo.Create(descriptor, LocationInfo.From(_path, _text, span), arguments));
    }
}
