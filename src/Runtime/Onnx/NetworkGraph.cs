using System;
using System.Collections.Generic;
using System.Globalization;

namespace NetGen.Onnx;

/// <summary>What a layer does to the values it receives, as an ONNX graph needs it.</summary>
internal enum LayerKind { Dense, Conv2d, MaxPool2d, AvgPool2d, BatchNorm, Dropout, Activation }

/// <summary>An activation by its spec word (<c>relu</c>, <c>leaky_relu</c>, ...); <see cref="Alpha"/> is leaky ReLU's slope.</summary>
internal readonly record struct ActivationKind(string Word, float Alpha)
{
    public static readonly ActivationKind Identity = new("identity", 0f);

    public bool IsIdentity => Word == "identity";
}

/// <summary>
/// One layer of a network as its <see cref="INetwork.Architecture"/> part describes it. <see cref="Name"/> is the PyTorch
/// module name of a layer with tensors (<c>fc1</c>, <c>conv2</c>, <c>bn1</c>), null for the others. <see cref="Input"/> and
/// <see cref="Output"/> are the shapes of one row: <c>[features]</c> or <c>[channels, height, width]</c>.
/// </summary>
internal sealed record GraphLayer(
    LayerKind Kind,
    string? Name,
    int[] Input,
    int[] Output,
    ActivationKind Activation,
    bool HasBias,
    int KernelHeight = 0,
    int KernelWidth = 0,
    int StrideHeight = 0,
    int StrideWidth = 0,
    int PadTop = 0,
    int PadLeft = 0,
    int PadBottom = 0,
    int PadRight = 0)
{
    /// <summary>Output units or filters (a dense layer's <c>[out]</c>, a conv's channels).</summary>
    public int Units => Output[0];

    /// <summary>Values in one row of the input.</summary>
    public int InputSize => Size(Input);

    public static int Size(int[] shape)
    {
        int n = 1;
        foreach (int d in shape) n *= d;
        return n;
    }

    /// <summary>The architecture part it came from, for messages: <c>fc1 128 relu</c>.</summary>
    public string Text { get; init; } = "";
}

/// <summary>
/// The layers of a network read back from its <see cref="INetwork.Architecture"/> text (the canonical description the
/// generator writes and model files are matched by), with every layer's input and output shape worked out: what ONNX export
/// and import need to know about a network without the generator's model. The grammar, part by part (<c>"; "</c> between):
/// <c>input 784</c> or <c>input 1x28x28</c>; <c>fc1 128 relu [no-bias]</c>; <c>conv1 conv2d 16 kernel 3x3 stride 1x1 padding 1
/// relu [no-bias]</c> (padding one number or top,left,bottom,right); <c>max_pool2d 2x2 stride 2x2</c>, <c>avg_pool2d ...</c>;
/// <c>bn1 batch_norm</c>; <c>dropout 0.25</c>; <c>activation leaky_relu 0.1</c>; <c>loss ...</c>; <c>optimizer ...</c>.
/// An activation is a word, and leaky ReLU's slope follows it.
/// </summary>
internal sealed class NetworkGraph
{
    /// <summary>PyTorch's batch norm epsilon, which NetGen's batch norm uses (BatchNormLayer in the generator).</summary>
    public const float BatchNormEpsilon = 1e-5f;

    private NetworkGraph(int[] input, IReadOnlyList<GraphLayer> layers, string loss)
    {
        Input = input;
        Layers = layers;
        Loss = loss;
    }

    /// <summary>One input row's shape: <c>[features]</c> or <c>[channels, height, width]</c>.</summary>
    public int[] Input { get; }

    public IReadOnlyList<GraphLayer> Layers { get; }

    /// <summary>The loss word (<c>cross_entropy</c>, <c>mse</c>, <c>binary_cross_entropy</c>).</summary>
    public string Loss { get; }

    /// <summary>One output row's shape.</summary>
    public int[] Output => Layers.Count == 0 ? Input : Layers[^1].Output;

    public static NetworkGraph Of(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return Parse(network.Architecture);
    }

    /// <exception cref="FormatException">A part this reader does not know (a newer generator's layer kind).</exception>
    public static NetworkGraph Parse(string architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        string[] parts = architecture.Split("; ");
        if (parts.Length == 0 || !parts[0].StartsWith("input ", StringComparison.Ordinal))
            throw new FormatException($"The architecture \"{architecture}\" does not start with its input.");
        int[] input = ParseShape(parts[0]["input ".Length..], parts[0]);
        int[] shape = input;
        var layers = new List<GraphLayer>();
        string loss = "cross_entropy";
        for (int i = 1; i < parts.Length; i++)
        {
            string part = parts[i];
            string[] w = part.Split(' ');
            GraphLayer layer;
            switch (w[0])
            {
                case "loss":
                    loss = w.Length > 1 ? w[1] : loss;
                    continue;
                case "optimizer":
                    continue;
                case "dropout":
                    Number(w, 1, part); // the rate: nothing at inference
                    layer = new GraphLayer(LayerKind.Dropout, null, shape, shape, ActivationKind.Identity, false);
                    break;
                case "activation":
                    layer = new GraphLayer(LayerKind.Activation, null, shape, shape, Activation(w, 1, part, out _), false);
                    break;
                case "max_pool2d":
                case "avg_pool2d":
                {
                    Require(shape.Length == 3 && w.Length == 4 && w[2] == "stride", part);
                    (int kh, int kw) = Pair(w[1], part);
                    (int sh, int sw) = Pair(w[3], part);
                    int[] output = [shape[0], (shape[1] - kh) / sh + 1, (shape[2] - kw) / sw + 1];
                    layer = new GraphLayer(w[0] == "max_pool2d" ? LayerKind.MaxPool2d : LayerKind.AvgPool2d, null, shape, output,
                        ActivationKind.Identity, false, kh, kw, sh, sw);
                    break;
                }
                default:
                    if (w.Length >= 2 && w[1] == "batch_norm")
                    {
                        Require(w.Length == 2, part);
                        layer = new GraphLayer(LayerKind.BatchNorm, w[0], shape, shape, ActivationKind.Identity, true);
                    }
                    else if (w.Length >= 2 && w[1] == "conv2d")
                    {
                        // conv1 conv2d 16 kernel 3x3 stride 1x1 padding 1 relu [no-bias]
                        Require(shape.Length == 3 && w.Length >= 10 && w[3] == "kernel" && w[5] == "stride" && w[7] == "padding", part);
                        int filters = Int(w[2], part);
                        (int kh, int kw) = Pair(w[4], part);
                        (int sh, int sw) = Pair(w[6], part);
                        (int top, int left, int bottom, int right) = Padding(w[8], part);
                        ActivationKind activation = Activation(w, 9, part, out int next);
                        bool bias = Bias(w, next, part);
                        int[] output = [filters, (shape[1] + top + bottom - kh) / sh + 1, (shape[2] + left + right - kw) / sw + 1];
                        layer = new GraphLayer(LayerKind.Conv2d, w[0], shape, output, activation, bias, kh, kw, sh, sw, top, left, bottom, right);
                    }
                    else
                    {
                        // fc1 128 relu [no-bias]
                        Require(w.Length >= 3, part);
                        int units = Int(w[1], part);
                        ActivationKind activation = Activation(w, 2, part, out int next);
                        bool bias = Bias(w, next, part);
                        layer = new GraphLayer(LayerKind.Dense, w[0], shape, [units], activation, bias);
                    }
                    break;
            }
            layers.Add(layer with { Text = part });
            shape = layer.Output;
        }
        return new NetworkGraph(input, layers, loss);
    }

    private static int[] ParseShape(string text, string part)
    {
        string[] dims = text.Split('x');
        Require(dims.Length is 1 or 3, part);
        var shape = new int[dims.Length];
        for (int i = 0; i < dims.Length; i++) shape[i] = Int(dims[i], part);
        return shape;
    }

    private static (int, int) Pair(string text, string part)
    {
        string[] two = text.Split('x');
        Require(two.Length == 2, part);
        return (Int(two[0], part), Int(two[1], part));
    }

    private static (int, int, int, int) Padding(string text, string part)
    {
        string[] p = text.Split(',');
        Require(p.Length is 1 or 4, part);
        if (p.Length == 1)
        {
            int all = Int(p[0], part);
            return (all, all, all, all);
        }
        return (Int(p[0], part), Int(p[1], part), Int(p[2], part), Int(p[3], part));
    }

    private static ActivationKind Activation(string[] w, int at, string part, out int next)
    {
        Require(at < w.Length, part);
        string word = w[at];
        Require(word is "identity" or "relu" or "leaky_relu" or "sigmoid" or "tanh" or "gelu" or "softplus", part);
        if (word == "leaky_relu")
        {
            next = at + 2;
            return new ActivationKind(word, Number(w, at + 1, part));
        }
        next = at + 1;
        return new ActivationKind(word, 0f);
    }

    private static bool Bias(string[] w, int at, string part)
    {
        if (at == w.Length) return true;
        Require(at == w.Length - 1 && w[at] == "no-bias", part);
        return false;
    }

    private static int Int(string text, string part)
    {
        Require(int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value), part);
        return value;
    }

    private static float Number(string[] w, int at, string part)
    {
        Require(at < w.Length && float.TryParse(w[at], NumberStyles.Float, CultureInfo.InvariantCulture, out _), part);
        return float.Parse(w[at], NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private static void Require(bool condition, string part)
    {
        if (!condition) throw new FormatException($"The architecture part \"{part}\" is not one this version of NetGen can describe in ONNX.");
    }
}
