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
/// Conventions are PyTorch's: a layer computes <c>Z = X W^T + b</c> with <c>W</c> of shape <c>[out, in]</c>
/// and rows of <c>X</c> as samples; the loss is <c>CrossEntropyLoss</c> (softmax, negative log-likelihood,
/// mean over the batch); the optimizer is <c>torch.optim.Adam</c> without weight decay.
/// </remarks>
public sealed class ReferenceMlp
{
    private static readonly MatrixBuilder<double> M = Matrix<double>.Build;
    private static readonly VectorBuilder<double> V = Vector<double>.Build;

    private readonly Layer[] _layers;

    private ReferenceMlp(Layer[] layers, AdamSettings adam)
    {
        _layers = layers;
        Adam = adam;
        LearningRate = adam.LearningRate;
    }

    /// <summary>A reference with a double copy of the network's current weights and biases, read through its MathNet views.</summary>
    public static ReferenceMlp From(ITestNetwork network)
    {
        Layer[] layers = network.Layers.Select(l => new Layer(
            l.Name,
            M.Dense(l.Weight.RowCount, l.Weight.ColumnCount, (r, c) => l.Weight[r, c]),
            V.Dense(l.Bias.Count, i => l.Bias[i]),
            l.Activation)).ToArray();
        return new ReferenceMlp(layers, network.Adam);
    }

    public IReadOnlyList<Layer> Layers => _layers;

    public AdamSettings Adam { get; }

    public double LearningRate { get; set; }

    /// <summary>Adam steps taken so far.</summary>
    public int Step { get; private set; }

    /// <summary>An independent copy (weights and optimizer state).</summary>
    public ReferenceMlp Clone()
    {
        var copy = new ReferenceMlp(_layers.Select(l => l.Clone()).ToArray(), Adam) { LearningRate = LearningRate };
        copy.Step = Step;
        return copy;
    }

    /// <summary>The forward pass, keeping every layer's pre-activation <c>Z</c> and output <c>A</c>.</summary>
    public Trace Forward(Matrix<double> x)
    {
        var z = new Matrix<double>[_layers.Length];
        var a = new Matrix<double>[_layers.Length];
        Matrix<double> input = x;
        for (int l = 0; l < _layers.Length; l++)
        {
            Layer layer = _layers[l];
            Matrix<double> ones = M.Dense(input.RowCount, 1, 1.0);
            z[l] = input * layer.Weight.Transpose() + ones * layer.Bias.ToRowMatrix();
            a[l] = layer.Activation == ReferenceActivation.Relu ? z[l].PointwiseMaximum(0.0) : z[l];
            input = a[l];
        }
        return new Trace(x, z, a);
    }

    public Matrix<double> Logits(Matrix<double> x) => Forward(x).Logits;

    /// <summary>Mean softmax cross-entropy of the batch.</summary>
    public double Loss(Matrix<double> x, IReadOnlyList<int> labels) => Loss(Forward(x).Logits, labels, out _);

    /// <summary>Forward and backward pass: the mean loss and, per layer, <c>dLoss/dW</c> <c>[out, in]</c> and <c>dLoss/db</c>.</summary>
    public Gradients Backward(Matrix<double> x, IReadOnlyList<int> labels)
    {
        Trace trace = Forward(x);
        double loss = Loss(trace.Logits, labels, out Matrix<double> probabilities);
        int rows = x.RowCount;
        Matrix<double> oneHot = M.Dense(rows, trace.Logits.ColumnCount, (r, c) => c == labels[r] ? 1.0 : 0.0);
        Matrix<double> dA = (probabilities - oneHot) / rows; // dLoss/dLogits for the mean loss
        var dW = new Matrix<double>[_layers.Length];
        var dB = new Vector<double>[_layers.Length];
        for (int l = _layers.Length - 1; l >= 0; l--)
        {
            Matrix<double> dZ = _layers[l].Activation == ReferenceActivation.Relu
                ? dA.PointwiseMultiply(trace.Z[l].Map(v => v > 0 ? 1.0 : 0.0))
                : dA;
            Matrix<double> below = l == 0 ? trace.Input : trace.A[l - 1];
            dW[l] = dZ.Transpose() * below;
            dB[l] = dZ.ColumnSums();
            dA = dZ * _layers[l].Weight;
        }
        return new Gradients(loss, dW, dB);
    }

    /// <summary>One Adam step, as torch.optim.Adam documents it (no weight decay, no amsgrad).</summary>
    public void AdamStep(Gradients gradients)
    {
        Step++;
        double b1 = Adam.Beta1, b2 = Adam.Beta2;
        double correction1 = 1 - Math.Pow(b1, Step);
        double correction2 = 1 - Math.Pow(b2, Step);
        double stepSize = LearningRate / correction1;
        for (int l = 0; l < _layers.Length; l++)
        {
            Layer layer = _layers[l];
            Matrix<double> gW = gradients.Weight[l];
            layer.WeightExpAvg = b1 * layer.WeightExpAvg + (1 - b1) * gW;
            layer.WeightExpAvgSq = b2 * layer.WeightExpAvgSq + (1 - b2) * gW.PointwiseMultiply(gW);
            Matrix<double> denominatorW = layer.WeightExpAvgSq.PointwiseSqrt() / Math.Sqrt(correction2) + Adam.Epsilon;
            layer.Weight = layer.Weight - stepSize * layer.WeightExpAvg.PointwiseDivide(denominatorW);

            Vector<double> gB = gradients.Bias[l];
            layer.BiasExpAvg = b1 * layer.BiasExpAvg + (1 - b1) * gB;
            layer.BiasExpAvgSq = b2 * layer.BiasExpAvgSq + (1 - b2) * gB.PointwiseMultiply(gB);
            Vector<double> denominatorB = layer.BiasExpAvgSq.PointwiseSqrt() / Math.Sqrt(correction2) + Adam.Epsilon;
            layer.Bias = layer.Bias - stepSize * layer.BiasExpAvg.PointwiseDivide(denominatorB);
        }
    }

    /// <summary>Forward, backward and Adam step; returns the loss before the step.</summary>
    public double TrainStep(Matrix<double> x, IReadOnlyList<int> labels)
    {
        Gradients gradients = Backward(x, labels);
        AdamStep(gradients);
        return gradients.Loss;
    }

    private static double Loss(Matrix<double> logits, IReadOnlyList<int> labels, out Matrix<double> probabilities)
    {
        Vector<double> max = V.Dense(logits.RowCount, r => logits.Row(r).Maximum());
        Matrix<double> shifted = logits - max.ToColumnMatrix() * M.Dense(1, logits.ColumnCount, 1.0);
        Matrix<double> exp = shifted.PointwiseExp();
        Vector<double> logSumExp = exp.RowSums().PointwiseLog() + max;
        probabilities = M.Dense(logits.RowCount, logits.ColumnCount, (r, c) => Math.Exp(logits[r, c] - logSumExp[r]));
        double total = 0;
        for (int r = 0; r < logits.RowCount; r++) total += logSumExp[r] - logits[r, labels[r]];
        return total / logits.RowCount;
    }

    public sealed class Layer
    {
        public Layer(string name, Matrix<double> weight, Vector<double> bias, ReferenceActivation activation)
        {
            Name = name;
            Weight = weight;
            Bias = bias;
            Activation = activation;
            WeightExpAvg = M.Dense(weight.RowCount, weight.ColumnCount);
            WeightExpAvgSq = M.Dense(weight.RowCount, weight.ColumnCount);
            BiasExpAvg = V.Dense(bias.Count);
            BiasExpAvgSq = V.Dense(bias.Count);
        }

        public string Name { get; }

        public ReferenceActivation Activation { get; }

        /// <summary>PyTorch orientation, <c>[out, in]</c>.</summary>
        public Matrix<double> Weight { get; set; }

        public Vector<double> Bias { get; set; }

        public Matrix<double> WeightExpAvg { get; set; }

        public Matrix<double> WeightExpAvgSq { get; set; }

        public Vector<double> BiasExpAvg { get; set; }

        public Vector<double> BiasExpAvgSq { get; set; }

        public Layer Clone() => new(Name, Weight.Clone(), Bias.Clone(), Activation)
        {
            WeightExpAvg = WeightExpAvg.Clone(),
            WeightExpAvgSq = WeightExpAvgSq.Clone(),
            BiasExpAvg = BiasExpAvg.Clone(),
            BiasExpAvgSq = BiasExpAvgSq.Clone(),
        };
    }

    /// <summary>Pre-activations <c>Z</c> and outputs <c>A</c> of every layer for one batch.</summary>
    public sealed record Trace(Matrix<double> Input, Matrix<double>[] Z, Matrix<double>[] A)
    {
        public Matrix<double> Logits => A[^1];
    }

    /// <summary>Mean loss and its gradients, per layer in order.</summary>
    public sealed record Gradients(double Loss, Matrix<double>[] Weight, Vector<double>[] Bias);
}
