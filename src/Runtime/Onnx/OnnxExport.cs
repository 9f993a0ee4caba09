using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using Google.Protobuf;
using NetGen.Onnx.Protos;

using NetGen.Onnx;

namespace NetGen;

/// <summary>
/// Writes a network as an ONNX model for inference: its evaluation-mode forward pass (dropout left out, batch norm with its
/// running statistics) as standard operators of opset 17 in an <c>ir_version</c> 8 file, which ONNX Runtime, ML.NET's
/// <c>ApplyOnnxModel</c> and PyTorch's tools read. One input, <c>input</c>, <c>[batch, features]</c> or
/// <c>[batch, channels, height, width]</c> with a symbolic batch dimension, and one output, <c>logits</c>: what
/// <see cref="INetwork.Forward"/> returns. Weights keep their PyTorch names (<c>fc1.weight</c>); the network's name, spec
/// hash, architecture and NetGen's version are in the model's metadata (<c>netgen.network</c>, <c>netgen.spec_hash</c>,
/// <c>netgen.architecture</c>, <c>netgen.version</c>), and a <see cref="DataSchema"/>'s column and class names too
/// (<c>netgen.data_features</c>, <c>netgen.data_targets</c>, <c>netgen.class_names</c>: JSON arrays, as in a model file).
/// </summary>
/// <remarks>
/// Operators: Gemm (dense, <c>transB=1</c>), Conv, MaxPool, AveragePool, BatchNormalization, Flatten, Relu, LeakyRelu,
/// Sigmoid, Tanh, Softplus, and GELU's tanh form composed of Pow, Mul, Add and Tanh as <c>torch.onnx.export</c> writes
/// <c>GELU(approximate="tanh")</c>. A <see cref="DataSchema"/> with a standardization adds Sub and Div in front, so the
/// file takes the raw rows. ONNX's Softplus has no threshold: above 20 it gives log(1 + e^z) where PyTorch and NetGen give
/// z, which differ by less than e^-20 relative.
/// </remarks>
public static class OnnxExport
{
    /// <summary>The ONNX operator set the files use: 17 (ONNX 1.12, PyTorch 1.13's newest).</summary>
    public const int OpsetVersion = 17;

    /// <summary>The ONNX file format version: 8 (ONNX 1.10 to 1.12).</summary>
    public const int IrVersion = 8;

    /// <summary>Name of the model's input.</summary>
    public const string InputName = "input";

    /// <summary>Name of the model's output.</summary>
    public const string OutputName = "logits";

    /// <summary>Metadata keys.</summary>
    public const string NetworkKey = "netgen.network", SpecHashKey = "netgen.spec_hash", ArchitectureKey = "netgen.architecture", VersionKey = "netgen.version";

    /// <summary>Before a <see cref="DataSchema"/>'s keys in the metadata: <c>netgen.data_features</c>, <c>netgen.data_targets</c>, <c>netgen.class_names</c> (JSON arrays of names).</summary>
    internal const string DataKeyPrefix = "netgen.";

    /// <summary>Writes <paramref name="network"/> to <paramref name="path"/> (replaced atomically if it exists).</summary>
    /// <exception cref="ModelFormatException">The file cannot be written, or a weight is NaN or infinite.</exception>
    public static void Save(string path, INetwork network) => Save(path, network, null);

    /// <summary>
    /// Writes <paramref name="network"/> to <paramref name="path"/> (replaced atomically if it exists), with
    /// <paramref name="data"/>'s standardization (if any) in front of the first layer, so the model takes raw rows.
    /// </summary>
    /// <exception cref="ModelFormatException">The file cannot be written, or a weight is NaN or infinite.</exception>
    public static void Save(string path, INetwork network, DataSchema? data)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = ToBytes(network, data, path);
        try
        {
            AtomicFile.Write(path, file => file.Write(bytes));
        }
        catch (IOException ex)
        {
            throw new ModelFormatException(ex.Message, ex);
        }
    }

    /// <summary>Writes <paramref name="network"/> to <paramref name="stream"/> (flushed, not closed).</summary>
    /// <exception cref="ModelFormatException">A weight is NaN or infinite (then nothing is written).</exception>
    public static void Save(Stream stream, INetwork network) => Save(stream, network, null);

    /// <summary>Writes <paramref name="network"/>, with <paramref name="data"/>'s standardization, to <paramref name="stream"/>.</summary>
    /// <exception cref="ModelFormatException">A weight is NaN or infinite (then nothing is written).</exception>
    public static void Save(Stream stream, INetwork network, DataSchema? data)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(ToBytes(network, data, "stream"));
        stream.Flush();
    }

    /// <summary>The ONNX file's bytes; <paramref name="name"/> is the file (or <c>stream</c>) that messages name.</summary>
    internal static byte[] ToBytes(INetwork network, DataSchema? data, string name = "stream")
    {
        ArgumentNullException.ThrowIfNull(network);
        return Build(network, data, file: name).ToByteArray();
    }

    /// <summary>NetGen's version, as the package has it (<c>0.1.0</c>, with <c>+commit</c> when built from a repository).</summary>
    internal static string Version =>
        typeof(OnnxExport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "unknown";

    internal static ModelProto Build(INetwork network, DataSchema? data, string file)
    {
        NetworkGraph graph = NetworkGraph.Of(network);
        var tensors = new Dictionary<string, NamedTensor>(StringComparer.Ordinal);
        foreach (NamedTensor t in SafetensorsWriter.Kept(network))
        {
            // The model file's check and words: nothing is written when a value is NaN or infinite.
            if (SafetensorsWriter.FindNonFinite(t) is { } bad) throw ModelFile.Error(file, $"not exported: {bad} (training diverged; train again with a lower learning rate)");
            tensors[t.Name] = t;
        }

        var g = new GraphWriter(network.NetworkName);
        g.Graph.Input.Add(Value(InputName, graph.Input));
        string x = InputName;

        if (data?.Standardization is { } standardization)
        {
            if (standardization.Mean.Length != GraphLayer.Size(graph.Input))
                throw new ArgumentException($"The standardization has {standardization.Mean.Length} columns but network \"{network.NetworkName}\" takes {GraphLayer.Size(graph.Input)} inputs.", nameof(data));
            // (x - mean) / scale, per input column, as DataSchema.Apply computes it; shaped like one row, broadcast over the batch.
            g.Initializer("input.mean", graph.Input, standardization.Mean);
            g.Initializer("input.scale", graph.Input, standardization.Scale);
            x = g.Node("Sub", "standardize", [x, "input.mean"]);
            x = g.Node("Div", "standardize", [x, "input.scale"]);
        }

        foreach (GraphLayer layer in graph.Layers)
        {
            switch (layer.Kind)
            {
                case LayerKind.Dropout:
                    break; // inference: identity
                case LayerKind.Activation:
                    x = Activate(g, layer.Activation, x, $"act{g.Count}");
                    break;
                case LayerKind.Dense:
                {
                    string name = layer.Name!;
                    if (layer.Input.Length == 3) x = g.Node("Flatten", name, [x], Attr("axis", 1));
                    g.Initializer(name + ".weight", tensors[name + ".weight"]);
                    var inputs = new List<string> { x, name + ".weight" };
                    if (layer.HasBias)
                    {
                        g.Initializer(name + ".bias", tensors[name + ".bias"]);
                        inputs.Add(name + ".bias");
                    }
                    x = g.Node("Gemm", name, inputs, Attr("alpha", 1f), Attr("beta", 1f), Attr("transB", 1));
                    x = Activate(g, layer.Activation, x, name);
                    break;
                }
                case LayerKind.Conv2d:
                {
                    string name = layer.Name!;
                    g.Initializer(name + ".weight", tensors[name + ".weight"]);
                    var inputs = new List<string> { x, name + ".weight" };
                    if (layer.HasBias)
                    {
                        g.Initializer(name + ".bias", tensors[name + ".bias"]);
                        inputs.Add(name + ".bias");
                    }
                    x = g.Node("Conv", name, inputs,
                        Attr("dilations", 1, 1), Attr("group", 1), Attr("kernel_shape", layer.KernelHeight, layer.KernelWidth),
                        Attr("pads", layer.PadTop, layer.PadLeft, layer.PadBottom, layer.PadRight),
                        Attr("strides", layer.StrideHeight, layer.StrideWidth));
                    x = Activate(g, layer.Activation, x, name);
                    break;
                }
                case LayerKind.MaxPool2d:
                case LayerKind.AvgPool2d:
                {
                    string op = layer.Kind == LayerKind.MaxPool2d ? "MaxPool" : "AveragePool";
                    x = g.Node(op, $"pool{g.Count}", [x],
                        Attr("kernel_shape", layer.KernelHeight, layer.KernelWidth), Attr("pads", 0, 0, 0, 0),
                        Attr("strides", layer.StrideHeight, layer.StrideWidth));
                    break;
                }
                case LayerKind.BatchNorm:
                {
                    string name = layer.Name!;
                    string[] parts = ["weight", "bias", "running_mean", "running_var"];
                    foreach (string p in parts) g.Initializer($"{name}.{p}", tensors[$"{name}.{p}"]);
                    x = g.Node("BatchNormalization", name, [x, name + ".weight", name + ".bias", name + ".running_mean", name + ".running_var"],
                        Attr("epsilon", NetworkGraph.BatchNormEpsilon), Attr("momentum", 0.9f));
                    break;
                }
                default:
                    throw new InvalidOperationException($"Layer kind {layer.Kind} has no ONNX form.");
            }
        }

        // The last node's output is the model's: renamed to "logits" (a network whose layers leave the input as it is ends in an Identity).
        if (x == InputName) x = g.Node("Identity", "output", [x]);
        g.RenameLast(OutputName);
        g.Graph.Output.Add(Value(OutputName, graph.Output));

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "NetGen",
            ProducerVersion = Version,
            DocString = $"{network.NetworkName}: {network.Architecture}",
            Graph = g.Graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        model.MetadataProps.Add(new StringStringEntryProto { Key = NetworkKey, Value = network.NetworkName });
        model.MetadataProps.Add(new StringStringEntryProto { Key = SpecHashKey, Value = network.SpecHash });
        model.MetadataProps.Add(new StringStringEntryProto { Key = ArchitectureKey, Value = network.Architecture });
        model.MetadataProps.Add(new StringStringEntryProto { Key = VersionKey, Value = Version });
        // The column and class names as a model file keeps them (the standardization is in the graph itself).
        foreach (var (key, value) in ((data ?? new DataSchema()) with { Standardization = null }).ToMetadata())
            model.MetadataProps.Add(new StringStringEntryProto { Key = DataKeyPrefix + key, Value = value });
        return model;
    }

    /// <summary>Applies an activation to <paramref name="x"/>, returning the output's name (x itself for identity).</summary>
    private static string Activate(GraphWriter g, ActivationKind activation, string x, string owner)
    {
        switch (activation.Word)
        {
            case "identity": return x;
            case "relu": return g.Node("Relu", owner, [x]);
            case "sigmoid": return g.Node("Sigmoid", owner, [x]);
            case "tanh": return g.Node("Tanh", owner, [x]);
            case "softplus": return g.Node("Softplus", owner, [x]);
            case "leaky_relu": return g.Node("LeakyRelu", owner, [x], Attr("alpha", activation.Alpha));
            case "gelu":
            {
                // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), node for node as torch.onnx.export writes GELU(approximate="tanh").
                g.Constant("gelu.three", 3f);
                g.Constant("gelu.cubic", 0.044715f);
                g.Constant("gelu.scale", 0.7978845608f);
                g.Constant("gelu.one", 1f);
                g.Constant("gelu.half", 0.5f);
                string cube = g.Node("Pow", owner, [x, "gelu.three"]);
                string small = g.Node("Mul", owner, [cube, "gelu.cubic"]);
                string sum = g.Node("Add", owner, [x, small]);
                string scaled = g.Node("Mul", owner, [sum, "gelu.scale"]);
                string tanh = g.Node("Tanh", owner, [scaled]);
                string onePlus = g.Node("Add", owner, [tanh, "gelu.one"]);
                string half = g.Node("Mul", owner, [x, "gelu.half"]);
                return g.Node("Mul", owner, [half, onePlus]);
            }
            default:
                throw new InvalidOperationException($"Activation {activation.Word} has no ONNX form.");
        }
    }

    private static ValueInfoProto Value(string name, int[] row)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        foreach (int d in row) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    private static AttributeProto Attr(string name, int value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto Attr(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    private static AttributeProto Attr(string name, params int[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        foreach (int v in values) a.Ints.Add(v);
        return a;
    }

    /// <summary>Builds the graph: nodes named <c>owner/Op</c> (numbered when an owner has several of one kind), outputs after them.</summary>
    private sealed class GraphWriter(string name)
    {
        private readonly HashSet<string> _names = new(StringComparer.Ordinal);

        public GraphProto Graph { get; } = new() { Name = name };

        public int Count => Graph.Node.Count;

        public string Node(string op, string owner, IReadOnlyList<string> inputs, params AttributeProto[] attributes)
        {
            string node = $"{owner}/{op}";
            for (int i = 1; !_names.Add(node); i++) node = $"{owner}/{op}_{i}";
            var proto = new NodeProto { Name = node, OpType = op, Domain = "" };
            proto.Input.Add(inputs);
            proto.Output.Add(node + ":0");
            proto.Attribute.Add(attributes);
            Graph.Node.Add(proto);
            return node + ":0";
        }

        public void RenameLast(string output) => Graph.Node[^1].Output[0] = output;

        public void Initializer(string tensorName, NamedTensor tensor)
        {
            var rowMajor = new float[tensor.Values.Length];
            tensor.Layout.ToRowMajor(tensor.Values, rowMajor);
            Initializer(tensorName, tensor.Shape, rowMajor);
        }

        public void Initializer(string tensorName, int[] shape, ReadOnlySpan<float> values)
        {
            if (!_names.Add("init:" + tensorName)) return;
            var proto = new TensorProto { Name = tensorName, DataType = (int)TensorProto.Types.DataType.Float };
            foreach (int d in shape) proto.Dims.Add(d);
            proto.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values)); // little-endian, as ONNX's raw_data is
            Graph.Initializer.Add(proto);
        }

        /// <summary>A float scalar initializer, added once however many layers use it.</summary>
        public void Constant(string tensorName, float value) => Initializer(tensorName, [], [value]);
    }
}
