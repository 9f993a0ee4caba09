using System;
using System.Collections.Generic;
using System.Linq;
using MathNet.Numerics.LinearAlgebra;
using Xunit;

namespace NetGen.Tests.Networks;

/// <summary>Test data, conversions between the generated network and the reference, and tolerance checks.</summary>
internal static class NetworkTestKit
{
    /// <summary>Rows of values in [-1, 1), about <paramref name="zeroFraction"/> of them exactly 0 (the kernels skip zero inputs).</summary>
    public static float[] RandomInputs(int seed, int rows, int columns, double zeroFraction = 0.25)
    {
        var random = new Random(seed);
        var values = new float[rows * columns];
        for (int i = 0; i < values.Length; i++)
            values[i] = random.NextDouble() < zeroFraction ? 0f : (float)(2 * random.NextDouble() - 1);
        return values;
    }

    /// <summary>A fresh instance of a test network by its name in test.nets.json.</summary>
    public static ITestNetwork Create(string name, int? seed = null, int? maxBatchSize = null) => name switch
    {
        "tiny" => new TinyNet(seed, maxBatchSize),
        "mixed" => new MixedNet(seed, maxBatchSize),
        "odd" => new OddNet(seed, maxBatchSize),
        "narrow" => new NarrowNet(seed, maxBatchSize),
        "wide" => new WideNet(seed, maxBatchSize),
        "digits" => new DigitsNet(seed, maxBatchSize),
        "toy" => new ToyNet(seed, maxBatchSize),
        "relulast" => new ReluLastNet(seed, maxBatchSize),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Not a network of test.nets.json."),
    };

    public static int[] RandomLabels(int seed, int rows, int classes)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows).Select(_ => random.Next(classes)).ToArray();
    }

    /// <summary>Row-major <c>[rows, columns]</c> floats as a double matrix.</summary>
    public static Matrix<double> ToMatrix(float[] rowMajor, int columns)
    {
        int rows = rowMajor.Length / columns;
        return Matrix<double>.Build.Dense(rows, columns, (r, c) => rowMajor[r * columns + c]);
    }

    /// <summary>The generated network's logits for <paramref name="inputs"/>, as <c>[rows, OutputSize]</c>.</summary>
    public static Matrix<float> Forward(INetwork network, float[] inputs)
    {
        int rows = inputs.Length / network.InputSize;
        var logits = new float[rows * network.OutputSize];
        network.Forward(inputs, logits);
        return Matrix<float>.Build.Dense(rows, network.OutputSize, (r, c) => logits[r * network.OutputSize + c]);
    }

    public static NamedTensor Parameter(INetwork network, string name) => network.Parameters.Single(p => p.Name == name);

    public static NamedTensor State(INetwork network, string name) => network.OptimizerState.Single(p => p.Name == name);

    /// <summary>A 2-D tensor's array as a MathNet matrix in PyTorch orientation (column-major storage, per <see cref="NamedTensor"/>).</summary>
    public static Matrix<float> AsMatrix(NamedTensor tensor, float[] storage) => Matrix<float>.Build.Dense(tensor.Shape[0], tensor.Shape[1], storage);

    /// <summary>The smallest |z| over all ReLU pre-activations of a batch: how far the batch is from a ReLU kink.</summary>
    public static double ReluMargin(ReferenceMlp reference, ReferenceMlp.Trace trace)
    {
        double margin = double.PositiveInfinity;
        for (int l = 0; l < reference.Layers.Count; l++)
        {
            if (reference.Layers[l].Activation == ReferenceActivation.Relu)
                margin = Math.Min(margin, trace.Z[l].Enumerate().Min(Math.Abs));
        }
        return margin;
    }

    /// <summary>Number of ReLU outputs that are exactly 0 (inputs the next layer's kernels skip).</summary>
    public static int DeadReluOutputs(ReferenceMlp reference, ReferenceMlp.Trace trace)
    {
        int count = 0;
        for (int l = 0; l < reference.Layers.Count; l++)
        {
            if (reference.Layers[l].Activation == ReferenceActivation.Relu) count += trace.A[l].Enumerate().Count(v => v == 0);
        }
        return count;
    }

    /// <summary>
    /// Norm-relative closeness: every element within <paramref name="relative"/> times the largest expected magnitude.
    /// The float network's rounding error scales with the tensor's magnitude, not with each element's.
    /// </summary>
    public static void AssertClose(Matrix<double> expected, Matrix<float> actual, double relative, string what)
    {
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(expected.ColumnCount, actual.ColumnCount);
        double scale = expected.Enumerate().Max(Math.Abs);
        double worst = 0;
        (int Row, int Column) at = (0, 0);
        for (int r = 0; r < expected.RowCount; r++)
        {
            for (int c = 0; c < expected.ColumnCount; c++)
            {
                double error = Math.Abs(actual[r, c] - expected[r, c]);
                if (double.IsNaN(error)) error = double.PositiveInfinity;
                if (error > worst) (worst, at) = (error, (r, c));
            }
        }
        Assert.True(worst <= relative * scale,
            $"{what}: [{at.Row}, {at.Column}] is {actual[at.Row, at.Column]:R}, expected {expected[at.Row, at.Column]:R}; " +
            $"error {worst:E3} > {relative:E0} x max|expected| {scale:E3}.");
    }

    public static void AssertClose(Vector<double> expected, Vector<float> actual, double relative, string what) =>
        AssertClose(expected.ToColumnMatrix(), actual.ToColumnMatrix(), relative, what);

    public static void AssertClose(double expected, double actual, double relative, string what) =>
        Assert.True(Math.Abs(actual - expected) <= relative * Math.Max(1, Math.Abs(expected)),
            $"{what}: {actual:R}, expected {expected:R} (tolerance {relative:E0} relative).");

    /// <summary>Compares every gradient tensor of the network with the reference's.</summary>
    public static void AssertGradients(ReferenceMlp.Gradients expected, ITestNetwork network, double relative)
    {
        IReadOnlyList<LayerView> layers = network.Layers;
        for (int l = 0; l < layers.Count; l++)
        {
            NamedTensor weight = Parameter(network, layers[l].Name + ".weight");
            NamedTensor bias = Parameter(network, layers[l].Name + ".bias");
            AssertClose(expected.Weight[l], AsMatrix(weight, weight.Gradients!), relative, weight.Name + " gradient");
            AssertClose(expected.Bias[l], Vector<float>.Build.Dense(bias.Gradients!), relative, bias.Name + " gradient");
        }
    }

    /// <summary>Compares the network's parameters (through its MathNet views) and both Adam moments with the reference's.</summary>
    public static void AssertParametersAndMoments(ReferenceMlp expected, ITestNetwork network, double relative, string when)
    {
        IReadOnlyList<LayerView> layers = network.Layers;
        for (int l = 0; l < layers.Count; l++)
        {
            ReferenceMlp.Layer reference = expected.Layers[l];
            string name = layers[l].Name;
            AssertClose(reference.Weight, layers[l].Weight, relative, $"{name}.weight {when}");
            AssertClose(reference.Bias, layers[l].Bias, relative, $"{name}.bias {when}");
            NamedTensor m = State(network, name + ".weight.exp_avg"), v = State(network, name + ".weight.exp_avg_sq");
            AssertClose(reference.WeightExpAvg, AsMatrix(m, m.Values), relative, $"{m.Name} {when}");
            AssertClose(reference.WeightExpAvgSq, AsMatrix(v, v.Values), relative, $"{v.Name} {when}");
            AssertClose(reference.BiasExpAvg, Vector<float>.Build.Dense(State(network, name + ".bias.exp_avg").Values), relative, $"{name}.bias.exp_avg {when}");
            AssertClose(reference.BiasExpAvgSq, Vector<float>.Build.Dense(State(network, name + ".bias.exp_avg_sq").Values), relative, $"{name}.bias.exp_avg_sq {when}");
        }
    }
}
