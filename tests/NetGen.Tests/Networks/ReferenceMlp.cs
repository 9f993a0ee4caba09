using System;
using System.Collections.Generic;
using System.Linq;
using MathNet.Numerics.LinearAlgebra;

namespace NetGen.Tests.Networks;

/// <summary>
/// The textbook multi-layer perceptron in double precision, written with whole-matrix MathNet operations
/// and sharing no code with the generator: the independent oracle the generated trainers are checked against.
/// </summary>
/// <remarks>
/// Conventions are PyTorch's: a layer computes <c>Z = X W^T + b</c> (or <c>X W^T</c> without bias) with <c>W</c> of
/// shape <c>[out, in]</c> and rows of <c>X</c> as samples (an activation layer has no weight: <c>Z = X</c>), then
/// <c>A = activation(Z)</c>, then in training
/// <c>A * mask</c> for a layer followed by dropout (the mask is given: 0 or 1/(1 - rate) per value). Losses are
/// <c>CrossEntropyLoss</c>, <c>BCEWithLogitsLoss</c> and <c>MSELoss</c> (means); optimizers <c>torch.optim.Adam</c>
/// (weight decay as L2), <c>AdamW</c> (decoupled decay) and <c>SGD</c> (momentum, Nesterov, L2; no dampening).
/// </remarks>
public sealed class ReferenceMlp
{
    private static readonly MatrixBuilder<double> M = Matrix<double>.Build;
    private static readonly VectorBuilder<double> V = Vector<double>.Build;

    /// <summary>Softplus is linear above this (PyTorch's threshold 20, beta 1).</summary>
    public const double SoftplusThreshold = 20;

    private static readonly double GeluScale = Math.Sqrt(2 / Math.PI);
    private const double GeluCubic = 0.044715;

    private readonly Layer[] _layers;

    private ReferenceMlp(Layer[] layers, OptimizerSettings optimizer, ReferenceLoss loss)
    {
        _layers = layers;
        Optimizer = optimizer;
        Loss = loss;
        LearningRate = optimizer.LearningRate;
    }

    /// <summary>A reference with a double copy of the network's current weights and biases, read through its MathNet views.</summary>
    public static ReferenceMlp From(ITestNetwork network)
    {
        Layer[] layers = network.Layers.Select(l => new Layer(
            l.Name,
            l.Weight is null ? null : M.Dense(l.Weight.RowCount, l.Weight.ColumnCount, (r, c) => l.Weight[r, c]),
            l.Bias is null ? null : V.Dense(l.Bias.Count, i => l.Bias[i]),
            l.Activation,
            l.Alpha,
            l.DropoutRate)).ToArray();
        return new ReferenceMlp(layers, network.Optimizer, network.Loss);
    }

    public IReadOnlyList<Layer> Layers => _layers;

    public OptimizerSettings Optimizer { get; }

    public ReferenceLoss Loss { get; }

    public double LearningRate { get; set; }

    /// <summary>Optimizer steps taken so far.</summary>
    public int Step { get; private set; }

    /// <summary>An independent copy (weights and optimizer state).</summary>
    public ReferenceMlp Clone()
    {
        var copy = new ReferenceMlp(_layers.Select(l => l.Clone()).ToArray(), Optimizer, Loss) { LearningRate = LearningRate };
        copy.Step = Step;
        return copy;
    }

    /// <summary>
    /// Targets of integer labels, as the loss reads them: one-hot rows for cross-entropy and MSE, the label itself
    /// (0 or 1) as the one output's target for binary cross-entropy.
    /// </summary>
    public Matrix<double> TargetsOf(IReadOnlyList<int> labels)
    {
        int outputs = _layers.Last(l => l.Weight is not null).Weight!.RowCount; // activation layers keep the width
        return Loss == ReferenceLoss.BinaryCrossEntropy
            ? M.Dense(labels.Count, 1, (r, _) => labels[r])
            : M.Dense(labels.Count, outputs, (r, c) => c == labels[r] ? 1.0 : 0.0);
    }

    /// <summary>
    /// The forward pass, keeping every layer's pre-activation <c>Z</c>, activation <c>H</c> and output <c>A</c>
    /// (<c>H</c> times the layer's dropout mask, if <paramref name="masks"/> gives one; without masks there is no dropout).
    /// </summary>
    public Trace Forward(Matrix<double> x, IReadOnlyList<Matrix<double>?>? masks = null)
    {
        var z = new Matrix<double>[_layers.Length];
        var h = new Matrix<double>[_layers.Length];
        var a = new Matrix<double>[_layers.Length];
        Matrix<double> input = x;
        for (int l = 0; l < _layers.Length; l++)
        {
            Layer layer = _layers[l];
            z[l] = layer.Weight is null ? input.Clone() : input * layer.Weight.Transpose();
            if (layer.Bias is not null) z[l] += M.Dense(input.RowCount, 1, 1.0) * layer.Bias.ToRowMatrix();
            h[l] = Activate(layer, z[l]);
            Matrix<double>? mask = masks?[l];
            if (mask is not null && layer.DropoutRate == 0) throw new ArgumentException($"{layer.Name} has no dropout, but a mask was given.");
            a[l] = mask is null ? h[l] : h[l].PointwiseMultiply(mask);
            input = a[l];
        }
        return new Trace(x, z, h, a);
    }

    public Matrix<double> Logits(Matrix<double> x) => Forward(x).Logits;

    /// <summary>The mean loss of the batch against integer labels (see <see cref="TargetsOf"/>).</summary>
    public double LossOf(Matrix<double> x, IReadOnlyList<int> labels, IReadOnlyList<Matrix<double>?>? masks = null) =>
        LossOf(x, TargetsOf(labels), masks);

    /// <summary>The mean loss of the batch against float targets <c>[rows, outputs]</c>.</summary>
    public double LossOf(Matrix<double> x, Matrix<double> targets, IReadOnlyList<Matrix<double>?>? masks = null) =>
        LossAndGradient(Forward(x, masks).Logits, targets, out _);

    public Gradients Backward(Matrix<double> x, IReadOnlyList<int> labels, IReadOnlyList<Matrix<double>?>? masks = null) =>
        Backward(x, TargetsOf(labels), masks);

    /// <summary>
    /// Forward and backward pass: the mean loss and, per layer, <c>dLoss/dW</c> <c>[out, in]</c> and <c>dLoss/db</c>
    /// (null for a layer without bias; both null for an activation layer).
    /// </summary>
    public Gradients Backward(Matrix<double> x, Matrix<double> targets, IReadOnlyList<Matrix<double>?>? masks = null)
    {
        Trace trace = Forward(x, masks);
        double loss = LossAndGradient(trace.Logits, targets, out Matrix<double> dA);
        var dW = new Matrix<double>?[_layers.Length];
        var dB = new Vector<double>?[_layers.Length];
        for (int l = _layers.Length - 1; l >= 0; l--)
        {
            Layer layer = _layers[l];
            Matrix<double>? mask = masks?[l];
            Matrix<double> dH = mask is null ? dA : dA.PointwiseMultiply(mask);
            Matrix<double> dZ = dH.PointwiseMultiply(Derivative(layer, trace.Z[l]));
            if (layer.Weight is null)
            {
                dA = dZ; // an activation layer: Z = its input
                continue;
            }
            Matrix<double> below = l == 0 ? trace.Input : trace.A[l - 1];
            dW[l] = dZ.Transpose() * below;
            dB[l] = layer.Bias is null ? null : dZ.ColumnSums();
            dA = dZ * layer.Weight;
        }
        return new Gradients(loss, dW, dB);
    }

    /// <summary>One optimizer step as PyTorch documents it, with the state it keeps (created on the first step).</summary>
    public void OptimizerStep(Gradients gradients)
    {
        Step++;
        for (int l = 0; l < _layers.Length; l++)
        {
            Layer layer = _layers[l];
            if (layer.Weight is null) continue;
            layer.Weight = Update(layer.Weight, gradients.Weight[l]!, layer.WeightState);
            if (layer.Bias is not null)
                layer.Bias = Update(layer.Bias.ToColumnMatrix(), gradients.Bias[l]!.ToColumnMatrix(), layer.BiasState).Column(0);
        }
    }

    /// <summary>Forward, backward and optimizer step; returns the loss before the step.</summary>
    public double TrainStep(Matrix<double> x, Matrix<double> targets, IReadOnlyList<Matrix<double>?>? masks = null)
    {
        Gradients gradients = Backward(x, targets, masks);
        OptimizerStep(gradients);
        return gradients.Loss;
    }

    public double TrainStep(Matrix<double> x, IReadOnlyList<int> labels, IReadOnlyList<Matrix<double>?>? masks = null) =>
        TrainStep(x, TargetsOf(labels), masks);

    /// <summary>One tensor's update; <paramref name="state"/> holds its optimizer state by PyTorch name.</summary>
    private Matrix<double> Update(Matrix<double> p, Matrix<double> g, Dictionary<string, Matrix<double>> state)
    {
        OptimizerSettings o = Optimizer;
        double lr = LearningRate;
        if (o.Kind == ReferenceOptimizer.Sgd)
        {
            if (o.WeightDecay != 0) g = g + o.WeightDecay * p;
            if (o.Momentum != 0)
            {
                Matrix<double> buffer = state.TryGetValue("momentum_buffer", out Matrix<double>? previous)
                    ? o.Momentum * previous + g
                    : g.Clone(); // PyTorch: the first step's buffer is the gradient itself
                state["momentum_buffer"] = buffer;
                g = o.Nesterov ? g + o.Momentum * buffer : buffer;
            }
            return p - lr * g;
        }

        if (o.Kind == ReferenceOptimizer.AdamW) p = p * (1 - lr * o.WeightDecay);
        else if (o.WeightDecay != 0) g = g + o.WeightDecay * p;
        Matrix<double> m = state.TryGetValue("exp_avg", out Matrix<double>? m0) ? m0 : M.Dense(p.RowCount, p.ColumnCount);
        Matrix<double> v = state.TryGetValue("exp_avg_sq", out Matrix<double>? v0) ? v0 : M.Dense(p.RowCount, p.ColumnCount);
        m = o.Beta1 * m + (1 - o.Beta1) * g;
        v = o.Beta2 * v + (1 - o.Beta2) * g.PointwiseMultiply(g);
        state["exp_avg"] = m;
        state["exp_avg_sq"] = v;
        double correction1 = 1 - Math.Pow(o.Beta1, Step);
        double correction2 = 1 - Math.Pow(o.Beta2, Step);
        Matrix<double> denominator = v.PointwiseSqrt() / Math.Sqrt(correction2) + o.Epsilon;
        return p - lr / correction1 * m.PointwiseDivide(denominator);
    }

    /// <summary>The mean loss of the outputs against the targets, and its gradient with respect to the outputs.</summary>
    private double LossAndGradient(Matrix<double> outputs, Matrix<double> targets, out Matrix<double> gradient)
    {
        if (targets.RowCount != outputs.RowCount || targets.ColumnCount != outputs.ColumnCount)
            throw new ArgumentException($"Targets are [{targets.RowCount}, {targets.ColumnCount}], outputs [{outputs.RowCount}, {outputs.ColumnCount}].");
        int rows = outputs.RowCount;
        double count = outputs.RowCount * outputs.ColumnCount;
        switch (Loss)
        {
            case ReferenceLoss.MeanSquaredError:
            {
                Matrix<double> difference = outputs - targets;
                gradient = 2 * difference / count;
                return difference.PointwiseMultiply(difference).Enumerate().Sum() / count;
            }
            case ReferenceLoss.BinaryCrossEntropy:
            {
                // max(z, 0) - z t + log(1 + e^-|z|) = -(t log sigmoid(z) + (1 - t) log(1 - sigmoid(z))), without overflow.
                Matrix<double> losses = outputs.Map(z => Math.Max(z, 0)) - outputs.PointwiseMultiply(targets)
                    + outputs.Map(z => double.LogP1(Math.Exp(-Math.Abs(z))));
                gradient = (outputs.Map(Sigmoid) - targets) / count;
                return losses.Enumerate().Sum() / count;
            }
            default:
            {
                // -sum_c t_c log softmax(z)_c = logsumexp(z) sum_c t_c - sum_c t_c z_c; gradient (softmax(z) sum_c t_c - t) / rows.
                Vector<double> max = V.Dense(rows, r => outputs.Row(r).Maximum());
                Matrix<double> ones = M.Dense(1, outputs.ColumnCount, 1.0);
                Matrix<double> exp = (outputs - max.ToColumnMatrix() * ones).PointwiseExp();
                Vector<double> logSumExp = exp.RowSums().PointwiseLog() + max;
                Matrix<double> probabilities = (outputs - logSumExp.ToColumnMatrix() * ones).PointwiseExp();
                Vector<double> targetSums = targets.RowSums();
                gradient = (M.DenseOfDiagonalVector(targetSums) * probabilities - targets) / rows;
                return (logSumExp.PointwiseMultiply(targetSums) - outputs.PointwiseMultiply(targets).RowSums()).Sum() / rows;
            }
        }
    }

    public static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    /// <summary>The activation of <paramref name="layer"/>, value by value.</summary>
    public static Matrix<double> Activate(Layer layer, Matrix<double> z)
    {
        double alpha = layer.Alpha;
        return layer.Activation switch
        {
            ReferenceActivation.Identity => z.Clone(),
            ReferenceActivation.Relu => z.PointwiseMaximum(0.0),
            ReferenceActivation.LeakyRelu => z.Map(v => v > 0 ? v : alpha * v),
            ReferenceActivation.Tanh => z.PointwiseTanh(),
            ReferenceActivation.Sigmoid => z.Map(Sigmoid),
            ReferenceActivation.Gelu => z.Map(v => 0.5 * v * (1 + Math.Tanh(GeluScale * (v + GeluCubic * v * v * v)))),
            ReferenceActivation.Softplus => z.Map(v => v > SoftplusThreshold ? v : Math.Max(v, 0) + double.LogP1(Math.Exp(-Math.Abs(v)))),
            _ => throw new ArgumentOutOfRangeException(nameof(layer), layer.Activation, null),
        };
    }

    /// <summary>activation'(z), value by value (at a kink, the derivative PyTorch uses: relu'(0) = 0, leaky_relu'(0) = alpha).</summary>
    public static Matrix<double> Derivative(Layer layer, Matrix<double> z)
    {
        double alpha = layer.Alpha;
        return layer.Activation switch
        {
            ReferenceActivation.Identity => M.Dense(z.RowCount, z.ColumnCount, 1.0),
            ReferenceActivation.Relu => z.Map(v => v > 0 ? 1.0 : 0.0),
            ReferenceActivation.LeakyRelu => z.Map(v => v > 0 ? 1.0 : alpha),
            ReferenceActivation.Tanh => z.Map(v => 1 - Math.Tanh(v) * Math.Tanh(v)),
            ReferenceActivation.Sigmoid => z.Map(v => Sigmoid(v) * (1 - Sigmoid(v))),
            ReferenceActivation.Gelu => z.Map(v =>
            {
                double t = Math.Tanh(GeluScale * (v + GeluCubic * v * v * v));
                return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * GeluScale * (1 + 3 * GeluCubic * v * v);
            }),
            ReferenceActivation.Softplus => z.Map(v => v > SoftplusThreshold ? 1.0 : Sigmoid(v)),
            _ => throw new ArgumentOutOfRangeException(nameof(layer), layer.Activation, null),
        };
    }

    public sealed class Layer
    {
        public Layer(string name, Matrix<double>? weight, Vector<double>? bias, ReferenceActivation activation, double alpha = 0, double dropoutRate = 0)
        {
            Name = name;
            Weight = weight;
            Bias = bias;
            Activation = activation;
            Alpha = alpha;
            DropoutRate = dropoutRate;
        }

        public string Name { get; }

        public ReferenceActivation Activation { get; }

        /// <summary>The negative slope of a leaky ReLU.</summary>
        public double Alpha { get; }

        /// <summary>The drop probability of the dropout that follows this layer in training (0: none).</summary>
        public double DropoutRate { get; }

        /// <summary>PyTorch orientation, <c>[out, in]</c>; null for an activation layer, which has no weights.</summary>
        public Matrix<double>? Weight { get; set; }

        /// <summary>Null for a layer without bias.</summary>
        public Vector<double>? Bias { get; set; }

        /// <summary>The optimizer's state of the weight by PyTorch name (<c>exp_avg</c>, <c>momentum_buffer</c>, ...), <c>[out, in]</c>.</summary>
        public Dictionary<string, Matrix<double>> WeightState { get; private init; } = new();

        /// <summary>The optimizer's state of the bias by PyTorch name, as <c>[out, 1]</c> matrices.</summary>
        public Dictionary<string, Matrix<double>> BiasState { get; private init; } = new();

        public Layer Clone() => new(Name, Weight?.Clone(), Bias?.Clone(), Activation, Alpha, DropoutRate)
        {
            WeightState = WeightState.ToDictionary(kv => kv.Key, kv => kv.Value.Clone()),
            BiasState = BiasState.ToDictionary(kv => kv.Key, kv => kv.Value.Clone()),
        };
    }

    /// <summary>Pre-activations <c>Z</c>, activations <c>H</c> and outputs <c>A</c> (after dropout) of every layer for one batch.</summary>
    public sealed record Trace(Matrix<double> Input, Matrix<double>[] Z, Matrix<double>[] H, Matrix<double>[] A)
    {
        public Matrix<double> Logits => A[^1];
    }

    /// <summary>Mean loss and its gradients, per layer in order (bias gradient null for a layer without bias; both null for an activation layer).</summary>
    public sealed record Gradients(double Loss, Matrix<double>?[] Weight, Vector<double>?[] Bias);
}
