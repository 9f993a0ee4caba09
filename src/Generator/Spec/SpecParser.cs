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

    public static readonly string[] Activations = SpecWords.Activations;
    public static readonly string[] Losses = SpecWords.Losses;
    public static readonly string[] Optimizers = SpecWords.Optimizers;
    public static readonly string[] Initializers = SpecWords.Initializers;
    public static readonly string[] LayerTypes = { "dense", "dropout" };

    /// <summary>PyTorch's default negative slope of LeakyReLU.</summary>
    public const float DefaultAlpha = 0.01f;

    private static readonly string[] RootProperties = { "$schema", "networks" };
    private static readonly string[] NetworkProperties = { "input", "layers", "shape", "activation", "loss", "optimizer", "training" };
    private static readonly string[] LayerProperties = { "type", "name", "units", "activation", "alpha", "bias", "init" };
    private static readonly string[] DropoutProperties = { "type", "rate" };
    private static readonly string[] AdamProperties = { "type", "lr", "beta1", "beta2", "eps", "weight_decay" };
    private static readonly string[] SgdProperties = { "type", "lr", "momentum", "nesterov", "weight_decay" };
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
        if (text is null)
            return new SpecFile(path, EquatableArray<NetworkSpec>.Empty, EquatableArray<string>.Empty, EquatableArray<DiagnosticInfo>.Empty, IsReadable: false, Exists: false);
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
        OptimizerSpec optimizer = ParseOptimizer(node, where);
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
        return CheckOutputs(loss, spec.OutputSize, layersProperty ?? shape) ? spec : null;
    }

    /// <summary>The output layer must have as many units as the loss needs: NG2010 at its <c>units</c> (or the <c>shape</c>).</summary>
    private bool CheckOutputs(LossKind loss, int outputs, JsonProperty? layers)
    {
        string? needs = loss switch
        {
            LossKind.CrossEntropy when outputs < 2 => "at least 2 units, one logit per class",
            LossKind.BinaryCrossEntropy when outputs != 1 => "exactly 1 unit, the logit of the positive class (for several independent yes/no outputs, or one-hot classes, use mse or cross_entropy)",
            _ => null,
        };
        if (needs is null) return true;
        TextSpan span = layers is null ? default : layers.Value.Span;
        if (layers is not null && layers.Value.Kind == JsonKind.Array)
        {
            JsonNode? last = layers.Value.Items.LastOrDefault(item => item.Find("units") is not null);
            if (last is not null) span = last.Find("units")!.Value.Span;
        }
        Report(DiagnosticDescriptors.OutputSizeMismatch, span, outputs.ToString(CultureInfo.InvariantCulture) + (outputs == 1 ? " unit" : " units"), SpecWords.Of(loss), needs);
        return false;
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
        if (network.Find("activation") is JsonProperty activation) hidden = ParseActivation(activation.Value) ?? Activation.Identity;
        float alpha = hidden == Activation.LeakyRelu ? DefaultAlpha : 0f;
        input = sizes[0];
        var layers = new List<DenseLayer>();
        for (int i = 1; i < sizes.Count; i++)
        {
            bool last = i == sizes.Count - 1;
            layers.Add(new DenseLayer("fc" + i.ToString(CultureInfo.InvariantCulture), sizes[i - 1], sizes[i], last ? Activation.Identity : hidden, last ? 0f : alpha));
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
        bool afterDropout = false;
        int denseCount = 0; // dense layers so far, valid or not: default names follow them, so an invalid layer does not make the next one clash
        for (int i = 0; i < node.Items.Count; i++)
        {
            JsonNode layer = node.Items[i];
            string where = $"layer {i + 1}";
            if (!ExpectKind(layer, JsonKind.Object, where, "an object such as { \"units\": 128, \"activation\": \"relu\" }"))
            {
                valid = false;
                continue;
            }
            string type = "dense";
            if (layer.Find("type") is JsonProperty typeProperty)
            {
                if (!ReadString(typeProperty.Value, "type", out type) || Array.IndexOf(LayerTypes, type) < 0)
                {
                    if (typeProperty.Value.Kind == JsonKind.String) ReportUnknownValue(typeProperty.Value, "layer type", type, LayerTypes);
                    valid = false;
                    continue;
                }
            }
            if (type == "dropout")
            {
                CheckProperties(layer, DropoutProperties, where + " (dropout)");
                float rate = ParseDropout(layer, where, denseCount > 0 && !afterDropout, isLast: i == node.Items.Count - 1, afterDropout);
                if (layers.Count > 0) layers[layers.Count - 1] = layers[layers.Count - 1] with { Dropout = rate };
                afterDropout = true;
                continue;
            }
            afterDropout = false;
            CheckProperties(layer, LayerProperties, where);

            denseCount++;
            string name = "fc" + denseCount.ToString(CultureInfo.InvariantCulture);
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
            Activation? activation = Activation.Identity;
            if (layer.Find("activation") is JsonProperty activationProperty) activation = ParseActivation(activationProperty.Value);
            float alpha = activation == Activation.LeakyRelu ? DefaultAlpha : 0f;
            if (layer.Find("alpha") is JsonProperty alphaProperty)
            {
                if (activation == Activation.LeakyRelu)
                    alpha = (float)ReadNumber(layer, "alpha", DefaultAlpha, x => x >= 0, "at least 0");
                else if (activation is not null)
                    Report(DiagnosticDescriptors.ConflictingProperties, alphaProperty.NameSpan, $"\"alpha\" is the negative slope of \"leaky_relu\", but {where} has the activation \"{SpecWords.Of(activation.Value)}\"; remove \"alpha\" or use \"activation\": \"leaky_relu\"");
            }
            bool hasBias = ReadBool(layer, "bias", true);
            Initializer init = ParseInitializer(layer);
            layers.Add(new DenseLayer(name, inputs, units, activation ?? Activation.Identity, alpha, hasBias, init));
            inputs = units;
        }
        return valid ? layers : null;
    }

    /// <summary>A dropout layer's rate, after checking where it stands (NG2011): between two dense layers, alone.</summary>
    private float ParseDropout(JsonNode layer, string where, bool afterDense, bool isLast, bool afterDropout)
    {
        TextSpan anchor = layer.Find("type")!.Value.Span;
        if (afterDropout)
            Report(DiagnosticDescriptors.MisplacedDropout, anchor, $"{Capitalize(where)} is a dropout layer right after another one; merge them into one dropout layer");
        else if (!afterDense)
            Report(DiagnosticDescriptors.MisplacedDropout, anchor, $"{Capitalize(where)} is a dropout layer before any dense layer; NetGen drops a dense layer's outputs, not the network's inputs, so put it after a dense layer");
        else if (isLast)
            Report(DiagnosticDescriptors.MisplacedDropout, anchor, $"{Capitalize(where)} is a dropout layer at the end; the loss needs the output layer's values, so put dropout between dense layers");
        if (layer.Find("rate") is null)
        {
            Report(DiagnosticDescriptors.MissingProperty, new TextSpan(layer.Span.Start, 1), Capitalize(where), "rate", ", the probability of dropping each value in training, in [0, 1)");
            return 0f;
        }
        return (float)ReadNumber(layer, "rate", 0, x => x >= 0 && x < 1, "in [0, 1)");
    }

    /// <returns>Null if the value is not a known activation (reported).</returns>
    private Activation? ParseActivation(JsonNode node)
    {
        if (!ReadString(node, "activation", out string value)) return null;
        Activation? activation = SpecWords.ActivationOf(value);
        if (activation is null) ReportUnknownValue(node, "activation", value, Activations);
        return activation;
    }

    private Initializer ParseInitializer(JsonNode layer)
    {
        if (layer.Find("init") is not JsonProperty property || !ReadString(property.Value, "init", out string value)) return Initializer.Default;
        int index = Array.IndexOf(Initializers, value);
        if (index >= 0) return (Initializer)index;
        ReportUnknownValue(property.Value, "initializer", value, Initializers);
        return Initializer.Default;
    }

    private LossKind ParseLoss(JsonNode network)
    {
        if (network.Find("loss") is not JsonProperty loss) return LossKind.CrossEntropy;
        if (!ReadString(loss.Value, "loss", out string value)) return LossKind.CrossEntropy;
        int index = Array.IndexOf(Losses, value);
        if (index >= 0) return (LossKind)index;
        ReportUnknownValue(loss.Value, "loss", value, Losses);
        return LossKind.CrossEntropy;
    }

    private OptimizerSpec ParseOptimizer(JsonNode network, string networkWhere)
    {
        var defaults = new OptimizerSpec(OptimizerKind.Adam, 0.001f);
        if (network.Find("optimizer") is not JsonProperty property) return defaults;
        JsonNode node = property.Value;
        if (!ExpectKind(node, JsonKind.Object, "optimizer", "an object such as { \"type\": \"adam\", \"lr\": 0.001 }")) return defaults;
        string where = $"the optimizer of {networkWhere}";
        OptimizerKind? kind = null;
        if (node.Find("type") is JsonProperty type)
        {
            if (ReadString(type.Value, "type", out string value))
            {
                int index = Array.IndexOf(Optimizers, value);
                if (index >= 0) kind = (OptimizerKind)index;
                else ReportUnknownValue(type.Value, "optimizer", value, Optimizers);
            }
        }
        else
        {
            Report(DiagnosticDescriptors.MissingProperty, property.NameSpan, Capitalize(where), "type", ": \"adam\", \"adamw\" or \"sgd\"");
        }
        if (kind is null)
        {
            // Without a known type, check only what no optimizer knows, and read nothing.
            CheckProperties(node, AdamProperties.Union(SgdProperties).ToArray(), where);
            return defaults;
        }
        where += $" ({SpecWords.Of(kind.Value)})";
        bool sgd = kind == OptimizerKind.Sgd;
        CheckProperties(node, sgd ? SgdProperties : AdamProperties, where);
        if (sgd && node.Find("lr") is null)
            Report(DiagnosticDescriptors.MissingProperty, property.NameSpan, Capitalize(where), "lr", ", the learning rate: sgd has no default one, as in PyTorch");
        float lr = (float)ReadNumber(node, "lr", sgd ? 0.01 : 0.001, x => x > 0, "greater than 0");
        float weightDecay = (float)ReadNumber(node, "weight_decay", kind == OptimizerKind.AdamW ? 0.01 : 0, x => x >= 0, "at least 0");
        if (sgd)
        {
            int errorsBefore = _diagnostics.Count;
            float momentum = (float)ReadNumber(node, "momentum", 0, x => x >= 0 && x < 1, "in [0, 1)");
            bool momentumReported = _diagnostics.Count != errorsBefore;
            bool nesterov = ReadBool(node, "nesterov", false);
            if (nesterov && momentum == 0f && !momentumReported)
                Report(DiagnosticDescriptors.ConflictingProperties, node.Find("nesterov")!.Value.Span, "\"nesterov\": true needs a \"momentum\" greater than 0 (as in PyTorch); add \"momentum\", e.g. 0.9, or remove \"nesterov\"");
            return new OptimizerSpec(OptimizerKind.Sgd, lr, WeightDecay: weightDecay, Momentum: momentum, Nesterov: nesterov);
        }
        double beta1 = ReadNumber(node, "beta1", defaults.Beta1, x => x >= 0 && x < 1, "in [0, 1)");
        double beta2 = ReadNumber(node, "beta2", defaults.Beta2, x => x >= 0 && x < 1, "in [0, 1)");
        float eps = (float)ReadNumber(node, "eps", defaults.Epsilon, x => x > 0, "greater than 0 (it keeps the update's denominator away from 0)");
        return new OptimizerSpec(kind.Value, lr, beta1, beta2, eps, weightDecay);
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
    private double ReadNumber(JsonNode obj, string name, double fallback, Func<double, bool> valid, string range)
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
            string why = float.IsInfinity((float)parsed) ? range + " and fit in a float" : range + (valid(parsed) ? " as a float" : "");
            Report(DiagnosticDescriptors.OutOfRange, node.Span, name, node.Text, why);
            return fallback;
        }
        return parsed;
    }

    private bool ReadBool(JsonNode obj, string name, bool fallback)
    {
        if (obj.Find(name) is not JsonProperty property) return fallback;
        if (property.Value.Kind is JsonKind.True or JsonKind.False) return property.Value.Kind == JsonKind.True;
        Report(DiagnosticDescriptors.WrongType, property.Value.Span, name, $"true or false, not {property.Value.Describe()}");
        return fallback;
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
