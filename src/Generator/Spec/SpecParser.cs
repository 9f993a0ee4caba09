using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Language;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Spec;

/// <summary>
/// Reads a nets.json document: checks every value's type and range and maps words to what they mean, reporting each
/// mistake at its token; then <see cref="SpecRules"/> checks each network as a whole. A network with any error is
/// left out of the result (its name is kept so that binding does not report it as missing as well).
/// </summary>
internal sealed class SpecParser
{
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
        // In the order of the file, whichever check found them.
        var diagnostics = parser._diagnostics.Select((d, i) => (d, i)).OrderBy(p => p.d.Location?.TextSpan.Start ?? 0).ThenBy(p => p.i).Select(p => p.d);
        return new SpecFile(path, new EquatableArray<NetworkSpec>(networks), new EquatableArray<string>(invalid), new EquatableArray<DiagnosticInfo>(diagnostics), readable);
    }

    /// <returns>False if the document is not JSON or has no readable "networks" object.</returns>
    private bool ParseDocument(List<NetworkSpec> networks, List<string> invalid)
    {
        string content = _text.ToString();
        if (content.Trim('\uFEFF', ' ', '\t', '\r', '\n').Length == 0)
        {
            Report(DiagnosticDescriptors.MalformedJson, new TextSpan(0, 0), SpecMessages.EmptyFile);
            return false;
        }
        JsonNode? root = JsonReader.Parse(content, out JsonSyntaxError? error);
        if (root is null)
        {
            Report(DiagnosticDescriptors.MalformedJson, error!.Span, error.Message);
            return false;
        }
        if (!ExpectKind(root, JsonKind.Object, SpecMessages.Document, SpecMessages.ExpectedDocument)) return false;
        CheckProperties(root, SpecWords.RootProperties, SpecMessages.Document);
        JsonProperty? networksProperty = root.Find("networks");
        if (networksProperty is null)
        {
            Report(DiagnosticDescriptors.MissingProperty, new TextSpan(root.Span.Start, 1), "The document", "networks", SpecMessages.NetworksHint);
            return false;
        }
        JsonNode networksNode = networksProperty.Value;
        if (!ExpectKind(networksNode, JsonKind.Object, "networks", SpecMessages.ExpectedNetworks)) return false;
        foreach (JsonProperty network in networksNode.Properties)
        {
            int errorsBefore = _diagnostics.Count;
            ParsedNetwork? parsed = ParseNetwork(network);
            if (parsed is not null) SpecRules.Check(parsed, this);
            if (parsed is not null && _diagnostics.Count == errorsBefore) networks.Add(parsed.ToSpec());
            else invalid.Add(network.Name);
        }
        return true;
    }

    /// <returns>Null when the network's layers could not be read at all (reported); else the network, maybe with errors.</returns>
    private ParsedNetwork? ParseNetwork(JsonProperty property)
    {
        string name = property.Name;
        JsonNode node = property.Value;
        string where = SpecMessages.Network(name);
        if (!Identifiers.IsNetworkName(name))
            Report(DiagnosticDescriptors.OutOfRange, property.NameSpan, "network name", "\"" + name + "\"", SpecMessages.NetworkNameRule);
        if (!ExpectKind(node, JsonKind.Object, name, SpecMessages.ExpectedNetwork)) return null;
        CheckProperties(node, SpecWords.NetworkProperties, where);

        List<ParsedLayer>? layers = null;
        bool complete = true;
        Shape input = default;
        JsonProperty? shape = node.Find("shape");
        JsonProperty? layersProperty = node.Find("layers");
        if (shape is not null)
        {
            if (layersProperty is not null)
                Report(DiagnosticDescriptors.ConflictingProperties, shape.NameSpan, SpecMessages.ShapeAndLayers(name));
            if (node.Find("input") is JsonProperty inputWithShape)
                Report(DiagnosticDescriptors.ConflictingProperties, inputWithShape.NameSpan, SpecMessages.ShapeAndInput(name));
            layers = ParseShape(shape.Value, node, out input);
        }
        else
        {
            if (node.Find("activation") is JsonProperty stray)
                Report(DiagnosticDescriptors.ConflictingProperties, stray.NameSpan, SpecMessages.ActivationWithoutShape);
            bool hasInput = ReadInput(node, where, property.NameSpan, out input);
            if (layersProperty is null)
                Report(DiagnosticDescriptors.MissingProperty, property.NameSpan, Capitalize(where), "layers", SpecMessages.LayersHint);
            else if (hasInput)
                layers = ParseLayers(layersProperty.Value, out complete);
        }

        LossKind loss = node.Find("loss") is JsonProperty lossProperty ? ReadWord(lossProperty.Value, "loss", SpecWords.Losses, "loss") ?? SpecDefaults.Loss : SpecDefaults.Loss;
        OptimizerSpec optimizer = ParseOptimizer(node, where);
        TrainingSpec training = ParseTraining(node, where);
        if (layers is null) return null;
        JsonNode? batchSize = node.Find("training")?.Value.Find("batch_size")?.Value;
        return new ParsedNetwork(name, property.NameSpan, input, layers, complete, (shape ?? layersProperty)!.Value, loss, optimizer, training, batchSize);
    }

    /// <summary>The shorthand <c>"784-128-10"</c>: dense layers fc1, fc2, ...; the hidden ones get the network's activation.</summary>
    private List<ParsedLayer>? ParseShape(JsonNode shape, JsonNode network, out Shape input)
    {
        input = default;
        if (!ExpectKind(shape, JsonKind.String, "shape", SpecMessages.ExpectedShape)) return null;
        var sizes = new List<int>();
        foreach (string part in shape.Text.Split('-'))
        {
            string trimmed = part.Trim();
            if (!int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out int size) || size < 1)
            {
                Report(DiagnosticDescriptors.InvalidShape, shape.Span, trimmed.Length == 0 ? SpecMessages.ShapeSizeMissing : SpecMessages.ShapeNotPositive(trimmed));
                return null;
            }
            sizes.Add(size);
        }
        if (sizes.Count < 2)
        {
            Report(DiagnosticDescriptors.InvalidShape, shape.Span, SpecMessages.ShapeOneSize);
            return null;
        }
        Activation hidden = network.Find("activation") is JsonProperty activation
            ? ReadWord(activation.Value, "activation", SpecWords.Activations, "activation") ?? Activation.Identity
            : Activation.Identity;
        float alpha = hidden == Activation.LeakyRelu ? SpecDefaults.Alpha : 0f;
        input = Shape.Flat(sizes[0]);
        var layers = new List<ParsedLayer>();
        for (int i = 1; i < sizes.Count; i++)
        {
            bool last = i == sizes.Count - 1;
            string name = DenseLayer.OrdinalName(i);
            layers.Add(new ParsedLayer(i - 1, SpecWords.DenseLayer, name, shape, new DenseLayerSpec(name, sizes[i], last ? Activation.Identity : hidden, last ? 0f : alpha)));
        }
        return layers;
    }

    /// <returns>Null if <c>layers</c> is not a list of layers at all; else every layer of a known type.</returns>
    private List<ParsedLayer>? ParseLayers(JsonNode node, out bool complete)
    {
        complete = false;
        if (!ExpectKind(node, JsonKind.Array, "layers", SpecMessages.ExpectedLayers)) return null;
        if (node.Items.Count == 0)
        {
            Report(DiagnosticDescriptors.OutOfRange, node.Span, "layers", "empty", SpecMessages.EmptyLayers);
            return null;
        }
        var layers = new List<ParsedLayer>();
        // Layers of each kind so far, valid or not: default names follow them, so an invalid layer does not make the next one clash.
        var ordinals = new Dictionary<string, int>();
        complete = true;
        for (int i = 0; i < node.Items.Count; i++)
        {
            JsonNode layer = node.Items[i];
            string where = SpecMessages.Layer(i);
            if (!ExpectKind(layer, JsonKind.Object, where, SpecMessages.ExpectedLayer))
            {
                complete = false;
                continue;
            }
            string type = SpecWords.DenseLayer;
            if (layer.Find("type") is JsonProperty typeProperty)
            {
                if (!ReadString(typeProperty.Value, "type", out type) || LayerUnits.Find(type) is null)
                {
                    if (typeProperty.Value.Kind == JsonKind.String) ReportUnknownValue(typeProperty.Value, SpecMessages.LayerType, type, SpecWords.LayerTypes);
                    complete = false;
                    continue;
                }
            }
            LayerUnit unit = LayerUnits.Find(type)!;
            CheckProperties(layer, unit.Properties, type == SpecWords.DenseLayer ? where : $"{where} ({type})");
            ordinals.TryGetValue(type, out int ordinal);
            ordinals[type] = ++ordinal;
            var reader = new LayerReader(this, layer, where, ordinal);
            string? name = unit.DefaultName(ordinal);
            if (name is not null && layer.Find("name") is JsonProperty nameProperty && ReadString(nameProperty.Value, "name", out string custom))
            {
                if (Identifiers.IsLayerName(custom)) name = custom;
                else Report(DiagnosticDescriptors.InvalidLayerName, nameProperty.Value.Span, SpecMessages.InvalidLayerName(custom));
            }
            LayerSpec? spec = unit.Parse(reader, name);
            complete &= spec is not null;
            layers.Add(new ParsedLayer(i, type, name, layer, spec));
        }
        return layers;
    }

    private OptimizerSpec ParseOptimizer(JsonNode network, string networkWhere)
    {
        var defaults = new OptimizerSpec(OptimizerKind.Adam, SpecDefaults.AdamLearningRate);
        if (network.Find("optimizer") is not JsonProperty property) return defaults;
        JsonNode node = property.Value;
        if (!ExpectKind(node, JsonKind.Object, "optimizer", SpecMessages.ExpectedOptimizer)) return defaults;
        string where = SpecMessages.Optimizer(networkWhere);
        OptimizerKind? kind = null;
        if (node.Find("type") is JsonProperty type) kind = ReadWord(type.Value, "type", SpecWords.Optimizers, "optimizer");
        else Report(DiagnosticDescriptors.MissingProperty, property.NameSpan, Capitalize(where), "type", SpecMessages.OptimizerTypeHint);
        if (kind is null)
        {
            // Without a known type, check only what no optimizer knows, and read nothing.
            CheckProperties(node, SpecWords.AdamProperties.Union(SpecWords.SgdProperties).ToArray(), where);
            return defaults;
        }
        where += $" ({SpecWords.Optimizers.Of(kind.Value)})";
        bool sgd = kind == OptimizerKind.Sgd;
        CheckProperties(node, sgd ? SpecWords.SgdProperties : SpecWords.AdamProperties, where);
        if (sgd && node.Find("lr") is null)
            Report(DiagnosticDescriptors.MissingProperty, property.NameSpan, Capitalize(where), "lr", SpecMessages.SgdLearningRateHint);
        float lr = (float)ReadNumber(node, "lr", sgd ? 0.01 : SpecDefaults.AdamLearningRate, x => x > 0, SpecMessages.Positive);
        float weightDecay = (float)ReadNumber(node, "weight_decay", kind == OptimizerKind.AdamW ? SpecDefaults.AdamWWeightDecay : 0, x => x >= 0, SpecMessages.AtLeastZero);
        if (sgd)
        {
            int errorsBefore = _diagnostics.Count;
            float momentum = (float)ReadNumber(node, "momentum", 0, x => x >= 0 && x < 1, SpecMessages.Fraction);
            bool momentumReported = _diagnostics.Count != errorsBefore;
            bool nesterov = ReadBool(node, "nesterov", false);
            if (nesterov && momentum == 0f && !momentumReported)
                Report(DiagnosticDescriptors.ConflictingProperties, node.Find("nesterov")!.Value.Span, SpecMessages.NesterovNeedsMomentum);
            return new OptimizerSpec(OptimizerKind.Sgd, lr, WeightDecay: weightDecay, Momentum: momentum, Nesterov: nesterov);
        }
        double beta1 = ReadNumber(node, "beta1", SpecDefaults.Beta1, x => x >= 0 && x < 1, SpecMessages.Fraction);
        double beta2 = ReadNumber(node, "beta2", SpecDefaults.Beta2, x => x >= 0 && x < 1, SpecMessages.Fraction);
        float eps = (float)ReadNumber(node, "eps", SpecDefaults.Epsilon, x => x > 0, SpecMessages.EpsilonRange);
        return new OptimizerSpec(kind.Value, lr, beta1, beta2, eps, weightDecay);
    }

    private TrainingSpec ParseTraining(JsonNode network, string networkWhere)
    {
        var defaults = new TrainingSpec(SpecDefaults.BatchSize, SpecDefaults.Epochs, SpecDefaults.Seed);
        if (network.Find("training") is not JsonProperty property) return defaults;
        JsonNode node = property.Value;
        if (!ExpectKind(node, JsonKind.Object, "training", SpecMessages.ExpectedTraining)) return defaults;
        string where = SpecMessages.Training(networkWhere);
        CheckProperties(node, SpecWords.TrainingProperties, where);
        ReadInt(node, "batch_size", where, defaults.BatchSize, 1, Limits.MaxBatchSize, SpecMessages.Between(1, Limits.MaxBatchSize), out int batch);
        ReadInt(node, "epochs", where, defaults.Epochs, 1, Limits.MaxEpochs, SpecMessages.Between(1, Limits.MaxEpochs), out int epochs);
        ReadInt(node, "seed", where, defaults.Seed, int.MinValue, int.MaxValue, SpecMessages.Int32Range, out int seed);
        return new TrainingSpec(batch, epochs, seed)
        {
            ValidationSplit = ReadDouble(node, "validation_split", x => x > 0 && x < 1, SpecMessages.OpenFraction),
            EarlyStopping = node.Find("early_stopping") is JsonProperty stopping ? ParseEarlyStopping(stopping.Value, networkWhere) : null,
            ClipGradNorm = ReadDouble(node, "clip_grad_norm", x => x > 0, SpecMessages.Positive),
            Schedule = node.Find("schedule") is JsonProperty schedule ? ParseSchedule(schedule, networkWhere) : null,
        };
    }

    /// <summary><c>"early_stopping": { "patience": 10, "min_delta": 0, "restore_best": true }</c>; patience is required.</summary>
    private EarlyStopping? ParseEarlyStopping(JsonNode node, string networkWhere)
    {
        if (!ExpectKind(node, JsonKind.Object, "early_stopping", SpecMessages.ExpectedEarlyStopping)) return null;
        string where = SpecMessages.EarlyStopping(networkWhere);
        CheckProperties(node, SpecWords.EarlyStoppingProperties, where);
        ReadInt(node, "patience", where, null, 1, int.MaxValue, SpecMessages.AtLeastOne, out int patience);
        double minDelta = ReadDouble(node, "min_delta", x => x >= 0, SpecMessages.AtLeastZero) ?? SpecDefaults.MinDelta;
        bool restoreBest = ReadBool(node, "restore_best", SpecDefaults.RestoreBest);
        return new EarlyStopping(patience, minDelta, restoreBest);
    }

    /// <summary><c>"schedule": { "type": ..., ... }</c> with the settings of its type (PyTorch's argument names and defaults).</summary>
    private Schedule? ParseSchedule(JsonProperty property, string networkWhere)
    {
        JsonNode node = property.Value;
        if (!ExpectKind(node, JsonKind.Object, "schedule", SpecMessages.ExpectedSchedule)) return null;
        string where = SpecMessages.Schedule(networkWhere);
        ScheduleType? kind = null;
        if (node.Find("type") is JsonProperty type) kind = ReadWord(type.Value, "type", SpecWords.Schedules, "schedule");
        else Report(DiagnosticDescriptors.MissingProperty, property.NameSpan, Capitalize(where), "type", SpecMessages.ScheduleTypeHint);
        if (kind is null)
        {
            // Without a known type, check only what no schedule knows, and read nothing.
            CheckProperties(node, SpecWords.Schedules.Words.SelectMany(w => SpecWords.ScheduleProperties(SpecWords.Schedules.Find(w)!.Value)).Distinct().ToArray(), where);
            return null;
        }
        where += $" ({SpecWords.Schedules.Of(kind.Value)})";
        CheckProperties(node, SpecWords.ScheduleProperties(kind.Value), where);
        switch (kind.Value)
        {
            case ScheduleType.Step:
                ReadInt(node, "step_size", where, null, 1, int.MaxValue, SpecMessages.AtLeastOne, out int stepSize);
                return new Schedule(ScheduleType.Step) { StepSize = stepSize, Gamma = ReadDouble(node, "gamma", x => x > 0, SpecMessages.Positive) ?? SpecDefaults.StepGamma };
            case ScheduleType.Exponential:
                if (node.Find("gamma") is null)
                    Report(DiagnosticDescriptors.MissingProperty, new TextSpan(node.Span.Start, 1), Capitalize(where), "gamma", SpecMessages.ExponentialGammaHint);
                return new Schedule(ScheduleType.Exponential) { Gamma = ReadDouble(node, "gamma", x => x > 0, SpecMessages.Positive) ?? 1 };
            case ScheduleType.Cosine:
                int? tMax = null;
                if (node.Find("t_max") is JsonProperty t && ReadWholeNumber(t.Value, "t_max", 1, int.MaxValue, SpecMessages.AtLeastOne, out int epochs)) tMax = epochs;
                return new Schedule(ScheduleType.Cosine) { TMax = tMax, EtaMin = ReadEtaMin(node) };
            case ScheduleType.WarmupCosine:
                ReadInt(node, "warmup_steps", where, null, 1, int.MaxValue, SpecMessages.AtLeastOne, out int warmupSteps);
                return new Schedule(ScheduleType.WarmupCosine)
                {
                    WarmupSteps = warmupSteps,
                    StartFactor = ReadDouble(node, "start_factor", x => x > 0 && x <= 1, SpecMessages.StartFactorRange) ?? SpecDefaults.StartFactor,
                    EtaMin = ReadEtaMin(node),
                };
            default:
                ReadInt(node, "patience", where, SpecDefaults.PlateauPatience, 0, int.MaxValue, SpecMessages.AtLeastZero, out int patience);
                ReadInt(node, "cooldown", where, SpecDefaults.PlateauCooldown, 0, int.MaxValue, SpecMessages.AtLeastZero, out int cooldown);
                return new Schedule(ScheduleType.ReduceOnPlateau)
                {
                    Factor = ReadDouble(node, "factor", x => x > 0 && x < 1, SpecMessages.OpenFraction) ?? SpecDefaults.PlateauFactor,
                    Patience = patience,
                    Threshold = ReadDouble(node, "threshold", x => x >= 0, SpecMessages.AtLeastZero) ?? SpecDefaults.PlateauThreshold,
                    Cooldown = cooldown,
                    MinLr = ReadDouble(node, "min_lr", x => x >= 0, SpecMessages.AtLeastZero) ?? SpecDefaults.PlateauMinLr,
                };
        }
    }

    private double ReadEtaMin(JsonNode schedule) => ReadDouble(schedule, "eta_min", x => x >= 0, SpecMessages.AtLeastZero) ?? SpecDefaults.EtaMin;

    /// <summary><c>"input"</c>: a whole number (a flat row) or <c>[channels, height, width]</c> (an image, PyTorch's CHW).</summary>
    private bool ReadInput(JsonNode network, string where, TextSpan anchor, out Shape input)
    {
        input = default;
        if (network.Find("input") is JsonProperty { Value: { Kind: JsonKind.Array } array })
        {
            if (array.Items.Count != 3)
            {
                Report(DiagnosticDescriptors.WrongType, array.Span, "input", SpecMessages.Expected(SpecMessages.InputForms, $"an array of {array.Items.Count}"));
                return false;
            }
            var sizes = new int[3];
            bool valid = true;
            for (int i = 0; i < 3; i++) valid &= ReadWholeNumber(array.Items[i], "input", 1, int.MaxValue, SpecMessages.AtLeastOne, out sizes[i]);
            if (valid) input = Shape.Image(sizes[0], sizes[1], sizes[2]);
            return valid;
        }
        if (network.Find("input") is JsonProperty { Value: { Kind: not JsonKind.Number } other })
        {
            Report(DiagnosticDescriptors.WrongType, other.Span, "input", SpecMessages.Expected(SpecMessages.InputForms, other.Describe()));
            return false;
        }
        bool read = ReadInt(network, "input", where, null, 1, int.MaxValue, SpecMessages.AtLeastOne, out int size, anchor);
        input = Shape.Flat(size);
        return read;
    }

    internal bool ReadInt(JsonNode obj, string name, string where, int? fallback, long min, long max, string range, out int value, TextSpan anchor = default)
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
        if (!ReadWholeNumber(property.Value, name, min, max, range, out int parsed)) return false; // value keeps the fallback
        value = parsed;
        return true;
    }

    /// <summary>A JSON value that must be a whole number in [min, max] (NG2003 if not a whole number, NG2004 if out of range).</summary>
    internal bool ReadWholeNumber(JsonNode node, string name, long min, long max, string range, out int value)
    {
        value = 0;
        if (node.Kind != JsonKind.Number || node.Text.IndexOfAny(new[] { '.', 'e', 'E' }) >= 0)
        {
            Report(DiagnosticDescriptors.WrongType, node.Span, name, SpecMessages.WholeNumber(node.Kind == JsonKind.Number ? "a fraction" : node.Describe()));
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
    internal double ReadNumber(JsonNode obj, string name, double fallback, Func<double, bool> valid, string range)
    {
        JsonProperty? property = obj.Find(name);
        if (property is null) return fallback;
        JsonNode node = property.Value;
        if (node.Kind != JsonKind.Number)
        {
            Report(DiagnosticDescriptors.WrongType, node.Span, name, SpecMessages.Number(node.Describe()));
            return fallback;
        }
        // The check applies to the float the generated code will use: 1e-50 rounds to 0 and 0.99999999999 to 1.
        if (!double.TryParse(node.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed)
            || float.IsInfinity((float)parsed) || !valid((float)parsed))
        {
            string why = float.IsInfinity((float)parsed) ? SpecMessages.FitInFloat(range) : valid(parsed) ? SpecMessages.AsFloat(range) : range;
            Report(DiagnosticDescriptors.OutOfRange, node.Span, name, node.Text, why);
            return fallback;
        }
        return parsed;
    }

    /// <summary>
    /// A number the runtime computes with in double (the fit loop's settings), finite and satisfying <paramref name="valid"/>;
    /// null if absent or reported (NG2003, NG2004).
    /// </summary>
    internal double? ReadDouble(JsonNode obj, string name, Func<double, bool> valid, string range)
    {
        if (obj.Find(name) is not JsonProperty property) return null;
        JsonNode node = property.Value;
        if (node.Kind != JsonKind.Number)
        {
            Report(DiagnosticDescriptors.WrongType, node.Span, name, SpecMessages.Number(node.Describe()));
            return null;
        }
        // .NET Framework refuses 1e400, .NET reads it as infinity: either way it is out of range.
        bool finite = double.TryParse(node.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) && !double.IsInfinity(parsed);
        if (!finite || !valid(parsed))
        {
            Report(DiagnosticDescriptors.OutOfRange, node.Span, name, node.Text, finite ? range : SpecMessages.FitInDouble(range));
            return null;
        }
        return parsed;
    }

    internal bool ReadBool(JsonNode obj, string name, bool fallback)
    {
        if (obj.Find(name) is not JsonProperty property) return fallback;
        if (property.Value.Kind is JsonKind.True or JsonKind.False) return property.Value.Kind == JsonKind.True;
        Report(DiagnosticDescriptors.WrongType, property.Value.Span, name, SpecMessages.Boolean(property.Value.Describe()));
        return fallback;
    }

    /// <summary>The value a word stands for, or null if the node is not a string (NG2003) or not a word of the table (NG2005).</summary>
    internal T? ReadWord<T>(JsonNode node, string name, WordTable<T> table, string what)
        where T : struct, Enum
    {
        if (!ReadString(node, name, out string word)) return null;
        T? value = table.Find(word);
        if (value is null) ReportUnknownValue(node, what, word, table.Words);
        return value;
    }

    private bool ReadString(JsonNode node, string name, out string value)
    {
        value = node.Text;
        if (node.Kind == JsonKind.String) return true;
        Report(DiagnosticDescriptors.WrongType, node.Span, name, SpecMessages.String(node.Describe()));
        return false;
    }

    private bool ExpectKind(JsonNode node, JsonKind kind, string name, string expected)
    {
        if (node.Kind == kind) return true;
        Report(DiagnosticDescriptors.WrongType, node.Span, name, SpecMessages.Expected(expected, node.Describe()));
        return false;
    }

    private void CheckProperties(JsonNode node, IReadOnlyList<string> known, string where)
    {
        foreach (JsonProperty property in node.Properties)
        {
            if (known.Contains(property.Name)) continue;
            string? suggestion = Suggestions.Closest(property.Name, known);
            string hint = suggestion is null ? SpecMessages.KnownProperties(string.Join(", ", known)) : SpecMessages.DidYouMean(suggestion);
            Report(DiagnosticDescriptors.UnknownProperty, property.NameSpan, property.Name, where, hint);
        }
    }

    internal void ReportUnknown(JsonNode node, string what, string value, IReadOnlyList<string> valid) => ReportUnknownValue(node, what, value, valid);

    private void ReportUnknownValue(JsonNode node, string what, string value, IReadOnlyList<string> valid)
    {
        string list = string.Join(", ", valid);
        string? suggestion = Suggestions.Closest(value, valid);
        if (suggestion is not null) list += SpecMessages.DidYouMeanValue(suggestion);
        Report(DiagnosticDescriptors.UnknownValue, node.Span, what, value, list);
    }

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s.Substring(1);

    internal void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, TextSpan span, params string[] arguments)
    {
        if (span.End > _text.Length) span = new TextSpan(Math.Min(span.Start, _text.Length), 0);
        _diagnostics.Add(DiagnosticInfo.Create(descriptor, LocationInfo.From(_path, _text, span), arguments));
    }

    /// <summary>The number of diagnostics so far, so a caller can tell whether a step reported any.</summary>
    internal int ErrorCount => _diagnostics.Count;
}
