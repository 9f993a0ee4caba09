using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Tests.Networks;

namespace NetGen.Tests.Images;

/// <summary>One step of a reference program: what a layer of images.nets.json does, written again by hand.</summary>
internal abstract record ImageOp;

/// <summary>PyTorch's <c>nn.Conv2d</c> (weight <c>[out, in, kh, kw]</c>) with zero padding, then the activation.</summary>
internal sealed record ConvOp(string Name, int StrideH, int StrideW, int PadTop, int PadLeft, int PadBottom, int PadRight,
    ReferenceActivation Activation = ReferenceActivation.Identity, double Alpha = 0.01, bool Bias = true) : ImageOp
{
    public static ConvOp Square(string name, int stride, int padding, ReferenceActivation activation = ReferenceActivation.Identity, double alpha = 0.01, bool bias = true) =>
        new(name, stride, stride, padding, padding, padding, padding, activation, alpha, bias);
}

/// <summary><c>nn.Linear</c> on the input flattened channel, row, column (PyTorch's <c>nn.Flatten</c>), then the activation.</summary>
internal sealed record DenseOp(string Name, ReferenceActivation Activation = ReferenceActivation.Identity, double Alpha = 0.01, bool Bias = true) : ImageOp;

/// <summary>An activation of its own.</summary>
internal sealed record ActivationOp(ReferenceActivation Activation, double Alpha = 0.01) : ImageOp;

/// <summary>PyTorch's <c>nn.MaxPool2d</c> (no padding): the largest value of each window, the first on ties.</summary>
internal sealed record MaxPoolOp(int KH, int KW, int SH, int SW) : ImageOp;

/// <summary>PyTorch's <c>nn.AvgPool2d</c> (no padding): the mean of each window.</summary>
internal sealed record AvgPoolOp(int KH, int KW, int SH, int SW) : ImageOp;

/// <summary>
/// PyTorch's <c>nn.BatchNorm2d</c> / <c>nn.BatchNorm1d</c> (eps 1e-5): in training each channel normalized by the batch's mean
/// and biased variance over all rows and pixels; in evaluation by the running ones.
/// </summary>
internal sealed record BatchNormOp(string Name) : ImageOp;

/// <summary>Dropout in training: the values times a mask replayed from the network's dropout stream.</summary>
internal sealed record DropoutOp(double Rate) : ImageOp;

/// <summary>
/// A model of a network of images.nets.json in double precision, written from PyTorch's definitions with plain loops over
/// images in PyTorch's layout (channel, row, column), independent of the generated kernels and of their layouts: its weights
/// are read out of the network's tensors in PyTorch's order.
/// </summary>
internal sealed class ImageReference
{
    private static readonly double GeluScale = Math.Sqrt(2 / Math.PI);
    private const double GeluCubic = 0.044715;

    private readonly ImageOp[] _program;

    private ImageReference(ImageOp[] program, (int C, int H, int W) input, Dictionary<string, (int[] Shape, double[] Values)> tensors)
    {
        _program = program;
        Input = input;
        Tensors = tensors;
    }

    public (int C, int H, int W) Input { get; }

    /// <summary>The weights by PyTorch name: shape and row-major values (tests perturb them in place).</summary>
    public Dictionary<string, (int[] Shape, double[] Values)> Tensors { get; }

    public static ImageReference From(INetwork network, (int C, int H, int W) input, params ImageOp[] program)
    {
        var tensors = new Dictionary<string, (int[], double[])>();
        foreach (NamedTensor tensor in network.Parameters.Concat(network.Buffers))
        {
            var rowMajor = new float[tensor.Values.Length];
            tensor.Layout.ToRowMajor(tensor.Values, rowMajor);
            tensors[tensor.Name] = (tensor.Shape, rowMajor.Select(v => (double)v).ToArray());
        }
        return new ImageReference(program, input, tensors);
    }

    /// <summary>
    /// Which side of its kink every ReLU-like pre-activation fell on in the last forward pass (and, with pooling, which value
    /// won each max-pool window): the loss is smooth in the weights while this stays the same.
    /// </summary>
    public string Pattern => _pattern.ToString();

    private readonly System.Text.StringBuilder _pattern = new();

    /// <summary>Whether the last forward pass had a ReLU output of exactly 0 that a later layer read (the masked gradient path).</summary>
    public bool SawDeadRelu { get; private set; }

    /// <summary>
    /// The outputs of each row of <paramref name="inputs"/> (<c>[rows, C * H * W]</c>, PyTorch's order). <paramref name="dropout"/>
    /// gives, per dropout op in order, the factors of its values in the order the network draws them (see <see cref="DropoutMasks"/>);
    /// without it, dropout passes its input on (inference).
    /// </summary>
    /// <param name="training">Batch norm with the batch's statistics (training) rather than the running ones (evaluation).</param>
    public double[][] Forward(float[] inputs, int rows, IReadOnlyList<double[]>? dropout = null, bool training = false)
    {
        Statistics.Clear();
        _pattern.Clear();
        SawDeadRelu = false;
        int size = Input.C * Input.H * Input.W;
        var batch = new Image[rows];
        for (int r = 0; r < rows; r++)
            batch[r] = new Image(Input.C, Input.H, Input.W, inputs.Skip(r * size).Take(size).Select(v => (double)v).ToArray());
        int dropoutIndex = 0;
        bool previousRelu = false;
        foreach (ImageOp op in _program)
        {
            bool relu = false;
            switch (op)
            {
                case ConvOp conv:
                    if (previousRelu) SawDeadRelu |= batch.Any(b => b.Values.Contains(0.0));
                    batch = batch.Select(b => Activate(Convolve(b, conv), conv.Activation, conv.Alpha)).ToArray();
                    relu = conv.Activation == ReferenceActivation.Relu;
                    break;
                case DenseOp dense:
                    if (previousRelu) SawDeadRelu |= batch.Any(b => b.Values.Contains(0.0));
                    batch = batch.Select(b => Activate(Linear(b, dense), dense.Activation, dense.Alpha)).ToArray();
                    relu = dense.Activation == ReferenceActivation.Relu;
                    break;
                case ActivationOp activation:
                    batch = batch.Select(b => Activate(b, activation.Activation, activation.Alpha)).ToArray();
                    relu = activation.Activation == ReferenceActivation.Relu;
                    break;
                case MaxPoolOp max:
                    batch = batch.Select(b => Pool(b, max.KH, max.KW, max.SH, max.SW, maximum: true)).ToArray();
                    relu = previousRelu;
                    break;
                case AvgPoolOp avg:
                    batch = batch.Select(b => Pool(b, avg.KH, avg.KW, avg.SH, avg.SW, maximum: false)).ToArray();
                    relu = previousRelu;
                    break;
                case BatchNormOp norm:
                    batch = Normalize(batch, norm.Name, training);
                    break;
                case DropoutOp:
                    relu = previousRelu;
                    if (dropout is null) break; // inference: dropout passes its input on
                    double[] mask = dropout[dropoutIndex++];
                    batch = batch.Select((b, r) => Drop(b, mask, r)).ToArray();
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(op), op, null);
            }
            previousRelu = relu;
        }
        return batch.Select(b => b.Values).ToArray();
    }

    /// <summary>Each batch norm's batch mean and biased variance per channel in the last forward pass in training mode, by name.</summary>
    public Dictionary<string, (double[] Mean, double[] Variance)> Statistics { get; } = new();

    public const double BatchNormEpsilon = 1e-5;

    private Image[] Normalize(Image[] batch, string name, bool training)
    {
        double[] weight = Tensors[name + ".weight"].Values, bias = Tensors[name + ".bias"].Values;
        int channels = batch[0].C, pixels = batch[0].H * batch[0].W;
        var mean = new double[channels];
        var variance = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            if (training)
            {
                var values = batch.SelectMany(b => b.Values.Skip(c * pixels).Take(pixels)).ToArray();
                mean[c] = values.Average();
                variance[c] = values.Select(v => (v - mean[c]) * (v - mean[c])).Average(); // biased: divided by N
            }
            else
            {
                mean[c] = Tensors[name + ".running_mean"].Values[c];
                variance[c] = Tensors[name + ".running_var"].Values[c];
            }
        }
        if (training) Statistics[name] = (mean, variance);
        return batch.Select(b =>
        {
            var y = new double[b.Values.Length];
            for (int c = 0; c < channels; c++)
                for (int p = 0; p < pixels; p++)
                    y[c * pixels + p] = (b.Values[c * pixels + p] - mean[c]) / Math.Sqrt(variance[c] + BatchNormEpsilon) * weight[c] + bias[c];
            return b with { Values = y };
        }).ToArray();
    }

    /// <summary>Mean cross-entropy of the outputs against the labels.</summary>
    public static double CrossEntropy(double[][] logits, int[] labels)
    {
        double sum = 0;
        for (int r = 0; r < logits.Length; r++)
        {
            double max = logits[r].Max();
            double logSumExp = max + Math.Log(logits[r].Sum(z => Math.Exp(z - max)));
            sum += logSumExp - logits[r][labels[r]];
        }
        return sum / logits.Length;
    }

    /// <summary>
    /// The dropout masks of the network's next training call, replayed from its stream as documented: per dropout layer in
    /// order, one draw per value of its rows in the order the network stores them (an image row, column, channel), dropped
    /// when the draw is below the rate, else scaled by 1/(1 - rate). Returned per layer in that storage order.
    /// </summary>
    public static List<double[]> DropoutMasks(RandomSource source, int rows, params (double Rate, int Values)[] layers)
    {
        var random = new RandomSource(0);
        random.SetState(source.GetState());
        var masks = new List<double[]>();
        foreach (var (rate, values) in layers)
        {
            var mask = new double[rows * values];
            for (int i = 0; i < mask.Length; i++) mask[i] = random.NextFloat() < rate ? 0 : 1 / (1 - rate);
            masks.Add(mask);
        }
        return masks;
    }

    private Image Convolve(Image x, ConvOp conv)
    {
        var (shape, w) = Tensors[conv.Name + ".weight"];
        double[]? b = conv.Bias ? Tensors[conv.Name + ".bias"].Values : null;
        int outC = shape[0], inC = shape[1], kh = shape[2], kw = shape[3];
        if (inC != x.C) throw new InvalidOperationException($"{conv.Name}: {inC} input channels, image has {x.C}");
        int outH = (x.H + conv.PadTop + conv.PadBottom - kh) / conv.StrideH + 1;
        int outW = (x.W + conv.PadLeft + conv.PadRight - kw) / conv.StrideW + 1;
        var y = new Image(outC, outH, outW, new double[outC * outH * outW]);
        for (int o = 0; o < outC; o++)
        {
            for (int oh = 0; oh < outH; oh++)
            {
                for (int ow = 0; ow < outW; ow++)
                {
                    double sum = b?[o] ?? 0;
                    for (int c = 0; c < inC; c++)
                    {
                        for (int i = 0; i < kh; i++)
                        {
                            for (int j = 0; j < kw; j++)
                            {
                                int ih = oh * conv.StrideH - conv.PadTop + i, iw = ow * conv.StrideW - conv.PadLeft + j;
                                if (ih < 0 || ih >= x.H || iw < 0 || iw >= x.W) continue; // zero padding
                                sum += w[((o * inC + c) * kh + i) * kw + j] * x[c, ih, iw];
                            }
                        }
                    }
                    y[o, oh, ow] = sum;
                }
            }
        }
        return y;
    }

    private Image Pool(Image x, int kh, int kw, int sh, int sw, bool maximum)
    {
        int outH = (x.H - kh) / sh + 1, outW = (x.W - kw) / sw + 1;
        var y = new Image(x.C, outH, outW, new double[x.C * outH * outW]);
        for (int c = 0; c < x.C; c++)
        {
            for (int oh = 0; oh < outH; oh++)
            {
                for (int ow = 0; ow < outW; ow++)
                {
                    double best = double.NegativeInfinity, sum = 0;
                    int taken = -1;
                    for (int i = 0; i < kh; i++)
                    {
                        for (int j = 0; j < kw; j++)
                        {
                            double v = x[c, oh * sh + i, ow * sw + j];
                            sum += v;
                            if (v > best)
                            {
                                best = v;
                                taken = i * kw + j;
                            }
                        }
                    }
                    if (maximum) _pattern.Append((char)('a' + taken));
                    y[c, oh, ow] = maximum ? best : sum / (kh * kw);
                }
            }
        }
        return y;
    }

    private Image Linear(Image x, DenseOp dense)
    {
        var (shape, w) = Tensors[dense.Name + ".weight"];
        double[]? b = dense.Bias ? Tensors[dense.Name + ".bias"].Values : null;
        int outputs = shape[0], inputs = shape[1];
        if (inputs != x.Values.Length) throw new InvalidOperationException($"{dense.Name}: {inputs} inputs, row has {x.Values.Length}");
        var y = new double[outputs];
        for (int o = 0; o < outputs; o++)
        {
            double sum = b?[o] ?? 0;
            for (int i = 0; i < inputs; i++) sum += w[o * inputs + i] * x.Values[i]; // x flattened channel, row, column
            y[o] = sum;
        }
        return new Image(outputs, 1, 1, y);
    }

    private Image Activate(Image z, ReferenceActivation activation, double alpha)
    {
        if (activation is ReferenceActivation.Relu or ReferenceActivation.LeakyRelu)
            foreach (double v in z.Values) _pattern.Append(v > 0 ? '+' : '-');
        return z with { Values = z.Values.Select(v => Activate(v, activation, alpha)).ToArray() };
    }

    public static double Activate(double v, ReferenceActivation activation, double alpha) => activation switch
    {
        ReferenceActivation.Identity => v,
        ReferenceActivation.Relu => Math.Max(v, 0),
        ReferenceActivation.LeakyRelu => v > 0 ? v : alpha * v,
        ReferenceActivation.Tanh => Math.Tanh(v),
        ReferenceActivation.Sigmoid => ReferenceMlp.Sigmoid(v),
        ReferenceActivation.Gelu => 0.5 * v * (1 + Math.Tanh(GeluScale * (v + GeluCubic * v * v * v))),
        ReferenceActivation.Softplus => v > ReferenceMlp.SoftplusThreshold ? v : Math.Max(v, 0) + double.LogP1(Math.Exp(-Math.Abs(v))),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, null),
    };

    /// <summary>Row r's values times their factors, the mask being in the network's storage order (channels last for images).</summary>
    private static Image Drop(Image x, double[] mask, int r)
    {
        int size = x.Values.Length;
        var y = new double[size];
        for (int c = 0; c < x.C; c++)
            for (int h = 0; h < x.H; h++)
                for (int w = 0; w < x.W; w++)
                {
                    int stored = x.H * x.W == 1 ? c : (h * x.W + w) * x.C + c;
                    y[(c * x.H + h) * x.W + w] = x[c, h, w] * mask[r * size + stored];
                }
        return x with { Values = y };
    }

    /// <summary>One image (or a flat row: C values of 1 x 1), channel, row, column.</summary>
    private sealed record Image(int C, int H, int W, double[] Values)
    {
        public double this[int c, int h, int w]
        {
            get => Values[(c * H + h) * W + w];
            set => Values[(c * H + h) * W + w] = value;
        }
    }
}
