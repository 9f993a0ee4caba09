using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Google.Protobuf;
using NetGen.Onnx;
using NetGen.Onnx.Protos;

namespace NetGen;

/// <summary>
/// Loads a network's weights from an ONNX file whose graph is that network: one that <see cref="OnnxExport"/> wrote, or
/// one that <c>torch.onnx.export</c> (PyTorch 1.13, evaluation mode, opset 11 to 17) wrote for the same module. The graph's
/// nodes are matched, in order, against the network's layers (<see cref="INetwork.Architecture"/>): operators, attributes
/// and shapes must be what the layer computes, and the weights are taken by their place in the graph, whatever they are
/// called (<c>fc1.weight</c>, <c>onnx::Gemm_12</c>).
/// </summary>
/// <remarks>
/// <para>
/// Dense layers: Gemm (<c>transB=1</c>, weight <c>[out, in]</c>, or <c>transB=0</c>, weight <c>[in, out]</c>), or MatMul with
/// an <c>[in, out]</c> weight followed by an Add of the bias. Before the first dense layer of an image network a Flatten
/// (axis 1) or a Reshape to <c>[batch, features]</c> (accepted before any dense layer). Conv (group 1, dilations 1), MaxPool and AveragePool (no padding,
/// a Pad of zeros before is accepted), BatchNormalization (epsilon 1e-5). Activations: Relu, LeakyRelu (alpha within
/// 1e-6), Sigmoid, Tanh, Softplus, and GELU's tanh form as the run of Pow, Mul, Add and Tanh nodes PyTorch writes (checked
/// by computing it; GELU's erf form is refused, NetGen's gelu being the tanh form). Identity, Dropout and Constant nodes
/// are skipped, and so are Identity nodes of a constant (PyTorch's way of writing equal initializers once). Sub and Div of constants shaped like an input row, in front of everything, are read as the inputs'
/// standardization (<see cref="Checkpoint.Data"/>), as <see cref="OnnxExport"/> writes them.
/// </para>
/// <para>
/// PyTorch's evaluation-mode export folds a batch norm into the convolution before it. When the network has a conv
/// followed by a batch norm and the file only the Conv, the folded weight goes to the conv and the folded bias to the
/// conv's bias (or, for a conv without bias, to the batch norm's); the batch norm becomes the identity (weight 1, bias 0,
/// running mean 0, running variance 1 - 1e-5), so the network computes exactly the folded conv.
/// </para>
/// <para>
/// Tensors must be FLOAT (raw_data or float_data), in the file (external data is refused), finite. The file may be at
/// most 2 GB (protobuf's limit). Nodes are numbered from 1 in messages. As after loading a weights-only model file, the
/// optimizer state is cleared and <see cref="INetwork.Step"/> set to 0; nothing is changed when the file is refused.
/// </para>
/// </remarks>
public static class OnnxImport
{
    /// <summary>The largest file read: 2,147,483,591 bytes, the largest .NET byte array (<see cref="Array.MaxLength"/>), just under protobuf's 2 GB limit.</summary>
    public const long MaxFileSize = 0x7FFFFFC7;

    /// <summary>Loads the weights of the ONNX file <paramref name="path"/> into <paramref name="network"/>.</summary>
    /// <param name="path">The ONNX file.</param>
    /// <param name="network">The network whose graph the file holds.</param>
    /// <returns>What a weights-only model file gives: the network's name from the metadata <c>netgen.network</c> (null for
    /// PyTorch's files), no optimizer state, and <see cref="Checkpoint.Data"/> with the standardization the graph starts with, if any.</returns>
    /// <exception cref="ModelFormatException">The file is missing, unreadable, not ONNX, or not this network's graph (one line naming the file and the first node that differs).</exception>
    public static Checkpoint Load(string path, INetwork network)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(network);
        ModelProto model = Read(path);
        return Apply(model, path, network);
    }

    /// <summary>Loads the weights of the ONNX content of <paramref name="stream"/> (from its position to its end; not closed) into <paramref name="network"/>.</summary>
    /// <param name="stream">A readable stream; messages name a <see cref="FileStream"/> by its path, any other as <c>stream</c>.</param>
    /// <param name="network">The network whose graph the content holds.</param>
    /// <returns>As <see cref="Load(string, INetwork)"/>.</returns>
    /// <exception cref="ModelFormatException">As <see cref="Load(string, INetwork)"/>.</exception>
    public static Checkpoint Load(Stream stream, INetwork network)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(network);
        if (!stream.CanRead) throw new ArgumentException("The stream must be readable.", nameof(stream));
        string name = stream is FileStream file ? file.Name : "stream";
        ModelProto model = Parse(ReadAll(stream, name), name);
        return Apply(model, name, network);
    }

    /// <summary>
    /// What the ONNX file <paramref name="path"/> says about itself, without a network: the name, spec hash and architecture
    /// of the network it was exported from (metadata <c>netgen.network</c>, <c>netgen.spec_hash</c>, <c>netgen.architecture</c>;
    /// nulls for PyTorch's files) and every metadata entry. The graph is not checked.
    /// </summary>
    /// <param name="path">The ONNX file.</param>
    /// <exception cref="ModelFormatException">The file is missing, unreadable or not ONNX.</exception>
    public static Checkpoint ReadMetadata(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Describe(Read(path), path, standardization: null);
    }

    private static ModelProto Read(string path)
    {
        if (ReadableFile.Refusal(path) is { } refusal) throw ModelFile.Error(path, refusal);
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            return Parse(ReadAll(file, path), path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw ModelFile.Error(path, "file not found", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw ModelFile.Error(path, "cannot read: " + ex.Message, ex);
        }
    }

    private static byte[] ReadAll(Stream stream, string name)
    {
        try
        {
            if (stream.CanSeek)
            {
                long length = stream.Length - stream.Position;
                if (length > MaxFileSize) throw ModelFile.Error(name, string.Create(CultureInfo.InvariantCulture, $"{length:N0} bytes: larger than 2 GB, the most an ONNX (protobuf) file may be"));
                var bytes = new byte[length];
                stream.ReadExactly(bytes);
                return bytes;
            }
            using var buffer = new MemoryStream();
            var chunk = new byte[1 << 16];
            int read;
            while ((read = stream.Read(chunk)) > 0)
            {
                if (buffer.Length + read > MaxFileSize) throw ModelFile.Error(name, "larger than 2 GB, the most an ONNX (protobuf) file may be");
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw ModelFile.Error(name, "cannot read: " + ex.Message, ex);
        }
    }

    private static ModelProto Parse(byte[] bytes, string name)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw ModelFile.Error(name, "not an ONNX file: " + ex.Message, ex);
        }
        if (model.Graph is null || model.Graph.Node.Count == 0)
            throw ModelFile.Error(name, "not an ONNX model: no graph" + (bytes.Length == 0 ? " (the file is empty)" : ""));
        return model;
    }

    /// <summary>
    /// What the file says about itself. <see cref="Checkpoint.Data"/>: the column and class names OnnxExport keeps in the
    /// metadata (<c>netgen.data_features</c>, <c>netgen.data_targets</c>, <c>netgen.class_names</c>, as a model file holds
    /// them without the prefix) with <paramref name="standardization"/>, the graph's own; null when it has neither.
    /// </summary>
    private static Checkpoint Describe(ModelProto model, string name, Standardization? standardization)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (StringStringEntryProto entry in model.MetadataProps) metadata[entry.Key] = entry.Value;
        string? Get(string key) => metadata.TryGetValue(key, out string? v) ? v : null;
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string key in new[] { DataSchema.FeaturesKey, DataSchema.TargetsKey, DataSchema.ClassesKey })
        {
            if (Get(OnnxExport.DataKeyPrefix + key) is { } value) names[key] = value;
        }
        DataSchema? data = DataSchema.FromMetadata(names, out string? problem);
        if (problem is not null) throw ModelFile.Error(name, $"metadata {OnnxExport.DataKeyPrefix}...: {problem}");
        if (standardization is not null) data = (data ?? new DataSchema()) with { Standardization = standardization };
        return new Checkpoint(Get(OnnxExport.NetworkKey), Get(OnnxExport.SpecHashKey), Get(OnnxExport.ArchitectureKey),
            Position: null, Step: null, Seed: null, HasOptimizerState: false, metadata) { Data = data };
    }

    private static Checkpoint Apply(ModelProto model, string name, INetwork network)
    {
        NetworkGraph graph;
        try
        {
            graph = NetworkGraph.Of(network);
        }
        catch (FormatException ex)
        {
            throw ModelFile.Error(name, $"network \"{network.NetworkName}\" has no ONNX form: {ex.Message}", ex);
        }
        var matcher = new GraphMatcher(model.Graph, name, graph, network);
        matcher.Match();
        foreach (var (target, rowMajor) in matcher.Assignments)
        {
            if (target.Layout.IsRowMajor) rowMajor.CopyTo(target.Values, 0);
            else target.Layout.FromRowMajor(rowMajor, target.Values);
        }
        foreach (NamedTensor state in network.OptimizerState) Array.Clear(state.Values);
        network.Step = 0;
        return Describe(model, name, matcher.Standardization);
    }

    /// <summary>Walks a graph's nodes against a network's layers, collecting what to write into the network.</summary>
    private sealed class GraphMatcher
    {
        private static readonly HashSet<string> Elementwise = new(StringComparer.Ordinal) { "Mul", "Add", "Sub", "Div", "Pow", "Tanh", "Sqrt", "Erf" };

        private readonly GraphProto _graph;
        private readonly string _file;
        private readonly NetworkGraph _spec;
        private readonly Dictionary<string, NamedTensor> _tensors = new(StringComparer.Ordinal);
        private readonly Dictionary<string, TensorProto> _constants = new(StringComparer.Ordinal);
        private int _at; // the next node
        private string _x = ""; // the value flowing through the layers

        public GraphMatcher(GraphProto graph, string file, NetworkGraph spec, INetwork network)
        {
            _graph = graph;
            _file = file;
            _spec = spec;
            NetworkName = network.NetworkName;
            foreach (NamedTensor t in network.Parameters) _tensors[t.Name] = t;
            foreach (NamedTensor t in network.Buffers) _tensors[t.Name] = t;
            foreach (TensorProto t in graph.Initializer) _constants[t.Name] = t;
        }

        private string NetworkName { get; }

        public List<(NamedTensor Target, float[] RowMajor)> Assignments { get; } = new();

        public Standardization? Standardization { get; private set; }

        public void Match()
        {
            var initializers = new HashSet<string>(_graph.Initializer.Select(t => t.Name), StringComparer.Ordinal);
            ValueInfoProto[] inputs = _graph.Input.Where(i => !initializers.Contains(i.Name)).ToArray();
            if (inputs.Length != 1) throw Fail($"the graph has {inputs.Length} inputs where network \"{NetworkName}\" takes one");
            _x = inputs[0].Name;
            MatchStandardization();

            for (int li = 0; li < _spec.Layers.Count; li++)
            {
                GraphLayer layer = _spec.Layers[li];
                switch (layer.Kind)
                {
                    case LayerKind.Dropout:
                        break;
                    case LayerKind.Activation:
                        MatchActivation(layer.Activation, layer);
                        break;
                    case LayerKind.Dense:
                        MatchDense(layer);
                        break;
                    case LayerKind.Conv2d:
                    {
                        GraphLayer? next = li + 1 < _spec.Layers.Count ? _spec.Layers[li + 1] : null;
                        if (MatchConv(layer, next)) li++; // the batch norm was folded into the conv
                        break;
                    }
                    case LayerKind.MaxPool2d:
                    case LayerKind.AvgPool2d:
                        MatchPool(layer);
                        break;
                    case LayerKind.BatchNorm:
                        MatchBatchNorm(layer);
                        break;
                    default:
                        throw Fail($"layer {Describe(layer)} has no ONNX form");
                }
            }

            SkipInert();
            if (_at < _graph.Node.Count)
            {
                throw Fail($"{NodeText(_at)} follows the last layer of network \"{NetworkName}\"");
            }
            if (!_graph.Output.Any(o => o.Name == _x))
                throw Fail($"the graph's output is not the last layer's ({(_graph.Output.Count == 0 ? "no output" : "output " + Quote(_graph.Output[0].Name))})");
            // The declared shapes last: a graph of other layers is named by its first node that differs.
            CheckRowShape(inputs[0], "input", _spec.Input);
            ValueInfoProto output = _graph.Output.First(o => o.Name == _x);
            CheckRowShape(output, "output", _spec.Output);
        }

        // ---- standardization ----

        private void MatchStandardization()
        {
            SkipInert();
            if (_at + 1 >= _graph.Node.Count) return;
            NodeProto sub = _graph.Node[_at], div = _graph.Node[_at + 1];
            if (sub.OpType != "Sub" || div.OpType != "Div" || sub.Input.Count != 2 || div.Input.Count != 2 || sub.Input[0] != _x
                || sub.Output.Count != 1 || div.Input[0] != sub.Output[0] || div.Output.Count != 1) return;
            int size = GraphLayer.Size(_spec.Input);
            float[] mean = Floats(_at, sub.Input[1], "mean", RowShape(size));
            float[] scale = Floats(_at + 1, div.Input[1], "scale", RowShape(size));
            try
            {
                Standardization = new Standardization(mean, scale);
            }
            catch (ArgumentException ex)
            {
                throw Fail($"{NodeText(_at + 1)}: the standardization's scale is not usable: {ex.Message}");
            }
            _x = div.Output[0];
            _at += 2;
        }

        private int[][] RowShape(int size) => [_spec.Input, [1, .. _spec.Input], [size], [1, size]];

        // ---- layers ----

        private void MatchDense(GraphLayer layer)
        {
            SkipInert();
            // A Flatten or Reshape to [batch, features]: needed after image layers, harmless (and accepted) on rows.
            if (_at < _graph.Node.Count && _graph.Node[_at].OpType is "Flatten" or "Reshape")
            {
                NodeProto flatten = Next(layer, "Flatten or Reshape", "Flatten", "Reshape", "Gemm", "MatMul");
                if (flatten.OpType == "Flatten")
                {
                    if (Int(flatten, "axis", 1) != 1) throw Fail($"{NodeText(_at)} has axis {Int(flatten, "axis", 1)} where layer {Describe(layer)} needs the rows flattened (axis 1)");
                    Consume(flatten);
                }
                else if (flatten.OpType == "Reshape")
                {
                    long[] shape = Longs(_at, Input(flatten, 1, layer));
                    bool flat = shape.Length == 2 && ((shape[0] is 0 or -1 && shape[1] == layer.InputSize) || (shape[0] == 0 && shape[1] == -1));
                    if (!flat) throw Fail($"{NodeText(_at)} reshapes to [{string.Join(", ", shape)}] where layer {Describe(layer)} needs the rows flattened to [batch, {layer.InputSize}]");
                    Consume(flatten);
                }
                SkipInert();
            }

            NodeProto node = Next(layer, "Gemm or MatMul", "Gemm", "MatMul");
            string name = layer.Name!;
            int units = layer.Units, inputs = layer.InputSize;
            if (node.OpType == "Gemm")
            {
                if (node.Input.Count < 2) throw Fail($"{NodeText(_at)} has {node.Input.Count} inputs where layer {Describe(layer)} needs 2 or 3");
                if (Float(node, "alpha", 1f) != 1f || Float(node, "beta", 1f) != 1f || Int(node, "transA", 0) != 0)
                    throw Fail($"{NodeText(_at)} has alpha {Float(node, "alpha", 1f)}, beta {Float(node, "beta", 1f)}, transA {Int(node, "transA", 0)} where layer {Describe(layer)} needs 1, 1, 0");
                bool transB = Int(node, "transB", 0) != 0;
                float[] w = Floats(_at, node.Input[1], "weight", [transB ? [units, inputs] : [inputs, units]], layer);
                Assign(name + ".weight", transB ? w : Transpose(w, inputs, units));
                bool hasBias = node.Input.Count > 2 && node.Input[2].Length > 0;
                if (hasBias != layer.HasBias)
                    throw Fail(hasBias ? $"{NodeText(_at)} has a bias where layer {Describe(layer)} has none" : $"{NodeText(_at)} has no bias where layer {Describe(layer)} needs [{units}]");
                if (hasBias) Assign(name + ".bias", Floats(_at, node.Input[2], "bias", [[units], [1, units]], layer));
                Consume(node);
            }
            else
            {
                if (node.Input.Count != 2) throw Fail($"{NodeText(_at)} has {node.Input.Count} inputs where layer {Describe(layer)} needs 2");
                float[] w = Floats(_at, node.Input[1], "weight", [[inputs, units]], layer);
                Assign(name + ".weight", Transpose(w, inputs, units));
                Consume(node);
                if (layer.HasBias)
                {
                    SkipInert();
                    NodeProto add = Next(layer, "Add of its bias", "Add");
                    if (add.Input.Count != 2 || (add.Input[0] != _x && add.Input[1] != _x))
                        throw Fail($"{NodeText(_at)} does not take the MatMul's output where layer {Describe(layer)} needs the Add of its bias");
                    string bias = add.Input[0] == _x ? add.Input[1] : add.Input[0];
                    Assign(name + ".bias", Floats(_at, bias, "bias", [[units], [1, units]], layer));
                    Consume(add);
                }
            }
            MatchActivation(layer.Activation, layer);
        }

        /// <summary>Matches a conv; returns true when it also matched <paramref name="next"/>, a batch norm folded into it.</summary>
        private bool MatchConv(GraphLayer layer, GraphLayer? next)
        {
            SkipInert();
            NodeProto node = Next(layer, "Conv", "Conv");
            int at = _at;
            if (node.Input.Count < 2) throw Fail($"{NodeText(at)} has {node.Input.Count} inputs where layer {Describe(layer)} needs 2 or 3");
            CheckInts(node, layer, "kernel_shape", [layer.KernelHeight, layer.KernelWidth], null);
            CheckInts(node, layer, "strides", [layer.StrideHeight, layer.StrideWidth], [1, 1]);
            CheckInts(node, layer, "pads", [layer.PadTop, layer.PadLeft, layer.PadBottom, layer.PadRight], [0, 0, 0, 0]);
            CheckInts(node, layer, "dilations", [1, 1], [1, 1]);
            if (Int(node, "group", 1) != 1) throw Fail($"{NodeText(at)} has group {Int(node, "group", 1)} where layer {Describe(layer)} needs 1");
            CheckNoAutoPad(node, layer);
            string name = layer.Name!;
            int[] shape = [layer.Units, layer.Input[0], layer.KernelHeight, layer.KernelWidth];
            Assign(name + ".weight", Floats(at, node.Input[1], "weight", [shape], layer));
            bool hasBias = node.Input.Count > 2 && node.Input[2].Length > 0;
            float[]? bias = hasBias ? Floats(at, node.Input[2], "bias", [[layer.Units]], layer) : null;
            Consume(node);

            // Folded batch norm: the spec has conv (no activation) + batch norm, the file goes on with something else.
            bool folded = false;
            if (next is { Kind: LayerKind.BatchNorm } && layer.Activation.IsIdentity)
            {
                SkipInert();
                folded = _at >= _graph.Node.Count || _graph.Node[_at].OpType != "BatchNormalization";
            }
            if (!folded && hasBias != layer.HasBias)
                throw Fail(hasBias ? $"{NodeText(at)} has a bias where layer {Describe(layer)} has none" : $"{NodeText(at)} has no bias where layer {Describe(layer)} needs [{layer.Units}]");
            if (!folded)
            {
                if (bias is not null) Assign(name + ".bias", bias);
                MatchActivation(layer.Activation, layer);
                return false;
            }

            int channels = layer.Units;
            bias ??= new float[channels];
            string bn = next!.Name!;
            float[] bnBias = new float[channels];
            if (layer.HasBias) Assign(name + ".bias", bias);
            else bnBias = bias;
            float variance = IdentityVariance();
            Assign(bn + ".weight", Enumerable.Repeat(1f, channels).ToArray());
            Assign(bn + ".bias", bnBias);
            Assign(bn + ".running_mean", new float[channels]);
            Assign(bn + ".running_var", Enumerable.Repeat(variance, channels).ToArray());
            return true;
        }

        /// <summary>The running variance v that makes a batch norm the identity: 1 / sqrt(v + eps) rounds to 1f.</summary>
        private static float IdentityVariance()
        {
            float v = 1f - NetworkGraph.BatchNormEpsilon;
            for (int i = 0; i < 4 && (float)(1 / Math.Sqrt(v + (double)NetworkGraph.BatchNormEpsilon)) != 1f; i++)
                v = (float)(1 / Math.Sqrt(v + (double)NetworkGraph.BatchNormEpsilon)) > 1f ? MathF.BitIncrement(v) : MathF.BitDecrement(v);
            return v;
        }

        private void MatchPool(GraphLayer layer)
        {
            SkipInert();
            string op = layer.Kind == LayerKind.MaxPool2d ? "MaxPool" : "AveragePool";
            NodeProto node = Next(layer, op + (op == "AveragePool" ? " or a Pad of zeros" : ""), op, "Pad");
            if (node.OpType == "Pad")
            {
                CheckZeroPad(node, layer);
                Consume(node);
                SkipInert();
                node = Next(layer, op, op);
            }
            int at = _at;
            CheckInts(node, layer, "kernel_shape", [layer.KernelHeight, layer.KernelWidth], null);
            CheckInts(node, layer, "strides", [layer.StrideHeight, layer.StrideWidth], [1, 1]);
            CheckInts(node, layer, "pads", [0, 0, 0, 0], [0, 0, 0, 0]);
            CheckInts(node, layer, "dilations", [1, 1], [1, 1]);
            if (Int(node, "ceil_mode", 0) != 0) throw Fail($"{NodeText(at)} has ceil_mode 1 where layer {Describe(layer)} needs 0");
            CheckNoAutoPad(node, layer);
            if (node.Output.Count != 1) throw Fail($"{NodeText(at)} has {node.Output.Count} outputs where layer {Describe(layer)} needs 1");
            Consume(node);
        }

        private void CheckZeroPad(NodeProto node, GraphLayer layer)
        {
            string mode = Attribute(node, "mode")?.S.ToStringUtf8() ?? "constant";
            long[] pads = node.Input.Count > 1 && node.Input[1].Length > 0 ? Longs(_at, node.Input[1]) : Attribute(node, "pads")?.Ints.ToArray() ?? [];
            if (mode != "constant" || pads.Any(p => p != 0))
                throw Fail($"{NodeText(_at)} pads by [{string.Join(", ", pads)}] ({mode}) where layer {Describe(layer)} needs no padding");
        }

        private void MatchBatchNorm(GraphLayer layer)
        {
            SkipInert();
            NodeProto node = Next(layer, "BatchNormalization", "BatchNormalization");
            if (node.Input.Count != 5) throw Fail($"{NodeText(_at)} has {node.Input.Count} inputs where layer {Describe(layer)} needs 5");
            float epsilon = Float(node, "epsilon", 1e-5f);
            if (Math.Abs(epsilon - (double)NetworkGraph.BatchNormEpsilon) > 1e-9)
                throw Fail($"{NodeText(_at)} has epsilon {epsilon.ToString("R", CultureInfo.InvariantCulture)} where layer {Describe(layer)} needs 1e-05");
            if (Int(node, "training_mode", 0) != 0) throw Fail($"{NodeText(_at)} is in training mode where layer {Describe(layer)} needs evaluation mode");
            int channels = layer.Input[0];
            string[] parts = ["weight", "bias", "running_mean", "running_var"];
            for (int i = 0; i < 4; i++)
                Assign($"{layer.Name}.{parts[i]}", Floats(_at, node.Input[i + 1], parts[i], [[channels]], layer));
            Consume(node);
        }

        /// <summary>Plans to write <paramref name="values"/> (row-major) into the network's tensor <paramref name="tensorName"/>.</summary>
        private void Assign(string tensorName, float[] values)
        {
            if (!_tensors.TryGetValue(tensorName, out NamedTensor? target))
                throw Fail($"network \"{NetworkName}\" has no tensor {tensorName}, which its architecture implies");
            if (target.Values.Length != values.Length)
                throw Fail($"network \"{NetworkName}\"'s tensor {tensorName} holds {target.Values.Length} values where its architecture implies {values.Length}");
            Assignments.Add((target, values));
        }

        // ---- activations ----

        private void MatchActivation(ActivationKind activation, GraphLayer layer)
        {
            if (activation.IsIdentity) return;
            SkipInert();
            string op = activation.Word switch
            {
                "relu" => "Relu",
                "sigmoid" => "Sigmoid",
                "tanh" => "Tanh",
                "softplus" => "Softplus",
                "leaky_relu" => "LeakyRelu",
                "gelu" => "",
                _ => throw Fail($"layer {Describe(layer)}: activation {activation.Word} has no ONNX form"),
            };
            if (op.Length == 0)
            {
                MatchGelu(layer);
                return;
            }
            NodeProto node = Next(layer, op, op);
            if (op == "LeakyRelu")
            {
                float alpha = Float(node, "alpha", 0.01f);
                if (Math.Abs(alpha - activation.Alpha) > 1e-6)
                    throw Fail($"{NodeText(_at)} has alpha {alpha.ToString("R", CultureInfo.InvariantCulture)} where layer {Describe(layer)} needs {activation.Alpha.ToString("R", CultureInfo.InvariantCulture)}");
            }
            Consume(node);
        }

        /// <summary>GELU's tanh form: a run of elementwise nodes of the layer's output and scalar constants, checked by computing it.</summary>
        private void MatchGelu(GraphLayer layer)
        {
            int start = _at;
            var values = new HashSet<string>(StringComparer.Ordinal) { _x };
            var run = new List<NodeProto>();
            string last = _x;
            while (_at < _graph.Node.Count)
            {
                NodeProto node = _graph.Node[_at];
                if (node.OpType == "Constant" && node.Output.Count == 1)
                {
                    RecordConstant(node, _at);
                    _at++;
                    continue;
                }
                if (!Elementwise.Contains(node.OpType) || node.Output.Count != 1) break;
                bool fits = node.Input.Count > 0 && node.Input.All(i => values.Contains(i) || ScalarOf(i) is not null)
                            && node.Input.Any(values.Contains);
                if (!fits) break;
                if (node.OpType == "Erf")
                    throw Fail($"{NodeText(_at)} computes GELU's erf form where layer {Describe(layer)} needs its tanh form (GELU(approximate=\"tanh\")), which is NetGen's gelu");
                run.Add(node);
                values.Add(node.Output[0]);
                last = node.Output[0];
                _at++;
            }
            if (run.Count == 0)
            {
                _at = start;
                SkipInert();
                throw Fail(_at < _graph.Node.Count
                    ? $"{NodeText(_at)} where layer {Describe(layer)} needs GELU's tanh form (Pow, Mul, Add, Tanh)"
                    : $"the graph ends where layer {Describe(layer)} needs GELU's tanh form (Pow, Mul, Add, Tanh)");
            }
            foreach (double z in new[] { -4.0, -2.5, -1.0, -0.3, 0.0, 0.2, 0.7, 1.5, 3.0 })
            {
                var env = new Dictionary<string, double>(StringComparer.Ordinal) { [_x] = z };
                foreach (NodeProto node in run)
                {
                    double[] a = node.Input.Select(i => env.TryGetValue(i, out double v) ? v : ScalarOf(i)!.Value).ToArray();
                    env[node.Output[0]] = node.OpType switch
                    {
                        "Mul" when a.Length == 2 => a[0] * a[1],
                        "Add" when a.Length == 2 => a[0] + a[1],
                        "Sub" when a.Length == 2 => a[0] - a[1],
                        "Div" when a.Length == 2 => a[0] / a[1],
                        "Pow" when a.Length == 2 => Math.Pow(a[0], a[1]),
                        "Tanh" when a.Length == 1 => Math.Tanh(a[0]),
                        "Sqrt" when a.Length == 1 => Math.Sqrt(a[0]),
                        _ => double.NaN,
                    };
                }
                double expected = 0.5 * z * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (z + 0.044715 * z * z * z)));
                double got = env[last];
                if (!(Math.Abs(got - expected) <= 1e-5 * (1 + Math.Abs(expected))))
                    throw Fail($"nodes {start + 1} to {_at} (\"{_graph.Node[start].Name}\" to \"{_graph.Node[_at - 1].Name}\") do not compute GELU's tanh form where layer {Describe(layer)} needs it (at {z}: {got} instead of {expected})");
            }
            _x = last;
        }

        // ---- nodes ----

        /// <summary>Skips nodes that do nothing at inference: Identity and Dropout of the flowing value, and Constants (recorded).</summary>
        private void SkipInert()
        {
            while (_at < _graph.Node.Count)
            {
                NodeProto node = _graph.Node[_at];
                if (node.OpType == "Constant" && node.Output.Count == 1)
                {
                    RecordConstant(node, _at);
                    _at++;
                }
                else if (node.OpType == "Identity" && node.Input.Count == 1 && node.Output.Count == 1 && node.Input[0] != _x
                         && _constants.TryGetValue(node.Input[0], out TensorProto? copied))
                {
                    // PyTorch writes equal initializers once and the others as Identity nodes of it (bn3.running_var of bn3.weight, all ones).
                    _constants[node.Output[0]] = copied;
                    _at++;
                }
                else if (node.OpType is "Identity" or "Dropout" && node.Input.Count >= 1 && node.Input[0] == _x && node.Output.Count >= 1)
                {
                    _x = node.Output[0];
                    _at++;
                }
                else return;
            }
        }

        private void RecordConstant(NodeProto node, int at)
        {
            AttributeProto? value = Attribute(node, "value");
            if (value?.T is null) throw Fail($"{NodeText(at)} has no tensor value (only Constant nodes with a 'value' tensor are read)");
            _constants[node.Output[0]] = value.T;
        }

        /// <summary>The node at the cursor, which must take the flowing value first and be one of <paramref name="ops"/>.</summary>
        private NodeProto Next(GraphLayer layer, string needs, params string[] ops)
        {
            if (_at >= _graph.Node.Count) throw Fail($"the graph ends after node {_at} where layer {Describe(layer)} needs {needs}");
            NodeProto node = _graph.Node[_at];
            if (!ops.Contains(node.OpType)) throw Fail($"{NodeText(_at)} where layer {Describe(layer)} needs {needs}");
            if (node.Domain is not ("" or "ai.onnx")) throw Fail($"{NodeText(_at)} is of domain {Quote(node.Domain)} where layer {Describe(layer)} needs ONNX's own {needs}");
            bool takes = node.Input.Count > 0 && (node.Input[0] == _x || (node.OpType == "Add" && node.Input.Count == 2 && node.Input[1] == _x));
            if (!takes) throw Fail($"{NodeText(_at)} does not take the previous layer's output ({Quote(_x)}) where layer {Describe(layer)} needs {needs}");
            if (node.Output.Count < 1 || node.Output[0].Length == 0) throw Fail($"{NodeText(_at)} has no output");
            return node;
        }

        private void Consume(NodeProto node)
        {
            _x = node.Output[0];
            _at++;
        }

        private string Input(NodeProto node, int index, GraphLayer layer) =>
            index < node.Input.Count && node.Input[index].Length > 0 ? node.Input[index]
                : throw Fail($"{NodeText(_at)} lacks input {index + 1} where layer {Describe(layer)} needs it");

        private void CheckInts(NodeProto node, GraphLayer layer, string attribute, int[] needed, int[]? byDefault)
        {
            AttributeProto? a = Attribute(node, attribute);
            long[]? got = a is null ? byDefault?.Select(v => (long)v).ToArray() : a.Ints.ToArray();
            if (got is null) return; // kernel_shape may be left to the weight's shape
            if (!got.SequenceEqual(needed.Select(v => (long)v)))
                throw Fail($"{NodeText(_at)} has {attribute} [{string.Join(", ", got)}] where layer {Describe(layer)} needs [{string.Join(", ", needed)}]");
        }

        private void CheckNoAutoPad(NodeProto node, GraphLayer layer)
        {
            string autoPad = Attribute(node, "auto_pad")?.S.ToStringUtf8() ?? "NOTSET";
            if (autoPad is not ("NOTSET" or "" or "VALID") || (autoPad == "VALID" && (layer.PadTop | layer.PadLeft | layer.PadBottom | layer.PadRight) != 0))
                throw Fail($"{NodeText(_at)} has auto_pad {autoPad} where layer {Describe(layer)} needs explicit pads");
        }

        private static AttributeProto? Attribute(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name);

        private static long Int(NodeProto node, string name, long byDefault) => Attribute(node, name) is { } a ? a.I : byDefault;

        private static float Float(NodeProto node, string name, float byDefault) => Attribute(node, name) is { } a ? a.F : byDefault;

        // ---- tensors ----

        /// <summary>A constant's row-major floats, its shape one of <paramref name="shapes"/> (the first is the one named in messages).</summary>
        private float[] Floats(int at, string name, string role, int[][] shapes, GraphLayer? layer = null)
        {
            TensorProto tensor = Constant(at, name, role);
            long[] dims = tensor.Dims.ToArray();
            if (!shapes.Any(s => s.Select(d => (long)d).SequenceEqual(dims)))
                throw Fail($"{NodeText(at)} has {role} [{string.Join(", ", dims)}] where " +
                           (layer is null ? $"network \"{NetworkName}\"'s input needs [{string.Join(", ", shapes[0])}]" : $"layer {Describe(layer)} needs [{string.Join(", ", shapes[0])}]"));
            if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
                throw Fail($"{NodeText(at)} has {role} {Quote(name)} of type {TypeName(tensor.DataType)}; only FLOAT tensors are read");
            int count = (int)dims.Aggregate(1L, (a, d) => a * d);
            float[] values;
            if (tensor.RawData.Length > 0 || tensor.FloatData.Count == 0)
            {
                if (tensor.RawData.Length != (long)count * sizeof(float))
                    throw Fail($"{NodeText(at)}: {role} {Quote(name)} has {tensor.RawData.Length} bytes of data where [{string.Join(", ", dims)}] needs {(long)count * sizeof(float)}");
                values = new float[count];
                tensor.RawData.Span.CopyTo(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
                if (!BitConverter.IsLittleEndian)
                    for (int i = 0; i < count; i++) values[i] = BitConverter.Int32BitsToSingle(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(BitConverter.SingleToInt32Bits(values[i])));
            }
            else
            {
                if (tensor.FloatData.Count != count)
                    throw Fail($"{NodeText(at)}: {role} {Quote(name)} has {tensor.FloatData.Count} values where [{string.Join(", ", dims)}] needs {count}");
                values = tensor.FloatData.ToArray();
            }
            int bad = Array.FindIndex(values, v => !float.IsFinite(v));
            if (bad >= 0) throw Fail($"{NodeText(at)}: {role} {Quote(name)} holds {values[bad]} at {TensorLayout.Describe(dims.Select(d => (int)d).ToArray(), bad)}");
            return values;
        }

        /// <summary>A constant INT64 vector (a Reshape's shape, a Pad's pads).</summary>
        private long[] Longs(int at, string name)
        {
            TensorProto tensor = Constant(at, name, "shape input");
            long[] dims = tensor.Dims.ToArray();
            if (tensor.DataType != (int)TensorProto.Types.DataType.Int64 || dims.Length != 1 || dims[0] > 64)
                throw Fail($"{NodeText(at)} has {Quote(name)} of type {TypeName(tensor.DataType)} [{string.Join(", ", dims)}] where an INT64 vector is needed");
            int count = (int)dims[0];
            if (tensor.RawData.Length > 0 || tensor.Int64Data.Count == 0)
            {
                if (tensor.RawData.Length != count * sizeof(long))
                    throw Fail($"{NodeText(at)}: {Quote(name)} has {tensor.RawData.Length} bytes of data where [{count}] needs {count * sizeof(long)}");
                return Enumerable.Range(0, count).Select(i => System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(tensor.RawData.Span.Slice(i * 8))).ToArray();
            }
            if (tensor.Int64Data.Count != count) throw Fail($"{NodeText(at)}: {Quote(name)} has {tensor.Int64Data.Count} values where [{count}] needs {count}");
            return tensor.Int64Data.ToArray();
        }

        /// <summary>The value of a scalar (or one-element) numeric constant, or null.</summary>
        private double? ScalarOf(string name)
        {
            if (!_constants.TryGetValue(name, out TensorProto? t) || t.DataLocation == TensorProto.Types.DataLocation.External) return null;
            if (t.Dims.Any(d => d != 1)) return null;
            var span = t.RawData.Span;
            switch ((TensorProto.Types.DataType)t.DataType)
            {
                case TensorProto.Types.DataType.Float:
                    return span.Length == 4 ? System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(span) : t.FloatData.Count == 1 ? t.FloatData[0] : null;
                case TensorProto.Types.DataType.Double:
                    return span.Length == 8 ? System.Buffers.Binary.BinaryPrimitives.ReadDoubleLittleEndian(span) : t.DoubleData.Count == 1 ? t.DoubleData[0] : null;
                case TensorProto.Types.DataType.Int64:
                    return span.Length == 8 ? System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(span) : t.Int64Data.Count == 1 ? t.Int64Data[0] : null;
                case TensorProto.Types.DataType.Int32:
                    return span.Length == 4 ? System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(span) : t.Int32Data.Count == 1 ? t.Int32Data[0] : null;
                default:
                    return null;
            }
        }

        private TensorProto Constant(int at, string name, string role)
        {
            if (!_constants.TryGetValue(name, out TensorProto? tensor))
                throw Fail($"{NodeText(at)} takes {role} {Quote(name)}, which is neither an initializer nor a Constant");
            if (tensor.DataLocation == TensorProto.Types.DataLocation.External || tensor.ExternalData.Count > 0)
                throw Fail($"{NodeText(at)} takes {role} {Quote(name)} from external data; only tensors inside the file are read");
            if (tensor.Dims.Any(d => d < 0 || d > int.MaxValue) || tensor.Dims.Aggregate(1.0, (a, d) => a * d) > int.MaxValue)
                throw Fail($"{NodeText(at)} takes {role} {Quote(name)} of impossible shape [{string.Join(", ", tensor.Dims)}]");
            return tensor;
        }

        private static string TypeName(int type) =>
            Enum.IsDefined(typeof(TensorProto.Types.DataType), type) ? ((TensorProto.Types.DataType)type).ToString().ToUpperInvariant() : $"{type}";

        private static float[] Transpose(float[] values, int rows, int columns)
        {
            var t = new float[values.Length];
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < columns; c++) t[c * rows + r] = values[r * columns + c];
            return t;
        }

        private void CheckRowShape(ValueInfoProto value, string what, int[] row)
        {
            if (value.Type?.TensorType is not { } tensor) return;
            if (tensor.ElemType != (int)TensorProto.Types.DataType.Float)
                throw Fail($"the graph's {what} {Quote(value.Name)} is of type {TypeName(tensor.ElemType)} where network \"{NetworkName}\" needs FLOAT");
            if (tensor.Shape is not { } shape) return;
            var dims = shape.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue.ToString(CultureInfo.InvariantCulture) : "batch").ToArray();
            bool fits = shape.Dim.Count == row.Length + 1
                        && Enumerable.Range(0, row.Length).All(i => shape.Dim[i + 1].ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue || shape.Dim[i + 1].DimValue == row[i]);
            if (!fits)
                throw Fail($"the graph's {what} {Quote(value.Name)} is [{string.Join(", ", dims)}] where network \"{NetworkName}\" needs [batch, {string.Join(", ", row)}]");
        }

        // ---- messages ----

        private string NodeText(int index)
        {
            NodeProto node = _graph.Node[index];
            return $"node {index + 1} {Quote(node.Name)} ({node.OpType})";
        }

        private static string Quote(string text) => "\"" + (text.Length > 80 ? text[..80] + "..." : text) + "\"";

        private static string Describe(GraphLayer layer) => $"{layer.Name ?? layer.Text.Split(' ')[0]} ({layer.Text})";

        private ModelFormatException Fail(string problem) => ModelFile.Error(_file, problem);
    }
}
