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

    /// <summary>A fresh instance of a test network by its name in test.nets.json or features.nets.json.</summary>
    public static ITestNetwork Create(string name, int? seed = null, int? maxBatchSize = null, int threads = 1) => name switch
    {
        "tiny" => new TinyNet(seed, maxBatchSize, threads),
        "mixed" => new MixedNet(seed, maxBatchSize, threads),
        "odd" => new OddNet(seed, maxBatchSize, threads),
        "narrow" => new NarrowNet(seed, maxBatchSize, threads),
        "wide" => new WideNet(seed, maxBatchSize, threads),
        "digits" => new DigitsNet(seed, maxBatchSize, threads),
        "toy" => new ToyNet(seed, maxBatchSize, threads),
        "relulast" => new ReluLastNet(seed, maxBatchSize, threads),
        "leaky" => new LeakyNet(seed, maxBatchSize, threads),
        "grouped" => new GroupedNet(seed, maxBatchSize, threads),
        "saturating" => new SaturatingNet(seed, maxBatchSize, threads),
        "smooth" => new SmoothNet(seed, maxBatchSize, threads),
        "nobias" => new NoBiasNet(seed, maxBatchSize, threads),
        "dropout" => new DropoutNet(seed, maxBatchSize, threads),
        "dropstats" => new DropStatsNet(seed, maxBatchSize, threads),
        "mse" => new MseNet(seed, maxBatchSize, threads),
        "bce" => new BceNet(seed, maxBatchSize, threads),
        "adamw" => new AdamWNet(seed, maxBatchSize, threads),
        "adaml2" => new AdamL2Net(seed, maxBatchSize, threads),
        "sgd" => new SgdNet(seed, maxBatchSize, threads),
        "momentum" => new MomentumNet(seed, maxBatchSize, threads),
        "nesterov" => new NesterovNet(seed, maxBatchSize, threads),
        "xavier" => new XavierNet(seed, maxBatchSize, threads),
        "kaimingu" => new KaimingUniformNet(seed, maxBatchSize, threads),
        "kaimingn" => new KaimingNormalNet(seed, maxBatchSize, threads),
        "zeros" => new ZerosNet(seed, maxBatchSize, threads),
        "xorbce" => new XorBceNet(seed, maxBatchSize, threads),
        "xormse" => new XorMseNet(seed, maxBatchSize, threads),
        "actlayers" => new ActivationLayersNet(seed, maxBatchSize, threads),
        "actlast" => new ActivationLastNet(seed, maxBatchSize, threads),
        "actrelu" => new ActivationReluNet(seed, maxBatchSize, threads),
        "tinyfolded" => new TinyFoldedNet(seed, maxBatchSize, threads),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Not a network of test.nets.json or features.nets.json."),
    };

    /// <summary>Every network of features.nets.json.</summary>
    public static readonly string[] FeatureNetworks =
    {
        "leaky", "grouped", "saturating", "smooth", "nobias", "dropout", "dropstats", "mse", "bce", "adamw", "adaml2", "sgd", "momentum",
        "nesterov", "xavier", "kaimingu", "kaimingn", "zeros", "xorbce", "xormse", "actlayers", "actlast", "actrelu", "tinyfolded",
    };

    public static TheoryData<string> FeatureNetworkNames() => new(FeatureNetworks);

    /// <summary>Float targets for a loss: in [0, 1) (probabilities for binary cross-entropy, anything for MSE).</summary>
    public static float[] RandomTargets(int seed, int rows, int outputs)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows * outputs).Select(_ => (float)random.NextDouble()).ToArray();
    }

    /// <summary>Labels a network accepts: class indices below its ClassCount.</summary>
    public static int[] RandomLabels(int seed, int rows, INetwork network) => RandomLabels(seed, rows, network.ClassCount);

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

    /// <summary>
    /// The smallest distance of any pre-activation from a kink of its activation (0 for relu and leaky_relu, the
    /// threshold 20 for softplus): how far the batch is from a point where a difference quotient would straddle one.
    /// </summary>
    public static double KinkMargin(ReferenceMlp reference, ReferenceMlp.Trace trace)
    {
        double margin = double.PositiveInfinity;
        for (int l = 0; l < reference.Layers.Count; l++)
        {
            double kink = reference.Layers[l].Activation switch
            {
                ReferenceActivation.Relu or ReferenceActivation.LeakyRelu => 0,
                ReferenceActivation.Softplus => ReferenceMlp.SoftplusThreshold,
                _ => double.NaN,
            };
            if (double.IsNaN(kink)) continue;
            // An activation layer right after dropout sees the dropped values as exact zeros, which no parameter moves.
            bool dropped = reference.Layers[l].Weight is null && l > 0 && reference.Layers[l - 1].DropoutRate > 0;
            margin = Math.Min(margin, trace.Z[l].Enumerate().Where(z => !(dropped && z == 0)).DefaultIfEmpty(double.PositiveInfinity).Min(z => Math.Abs(z - kink)));
        }
        return margin;
    }

    /// <summary>Number of ReLU outputs that are exactly 0 (inputs the next layer's kernels skip).</summary>
    public static int DeadReluOutputs(ReferenceMlp reference, ReferenceMlp.Trace trace)
    {
        int count = 0;
        for (int l = 0; l < reference.Layers.Count; l++)
        {
            if (reference.Layers[l].Activation == ReferenceActivation.Relu) count += trace.H[l].Enumerate().Count(v => v == 0);
        }
        return count;
    }

    /// <summary>Every relu and leaky_relu layer sees pre-activations on both sides of 0, so both branches are checked.</summary>
    public static void AssertBothSidesOfEveryKink(ReferenceMlp reference, ReferenceMlp.Trace trace)
    {
        for (int l = 0; l < reference.Layers.Count; l++)
        {
            if (reference.Layers[l].Activation is not (ReferenceActivation.Relu or ReferenceActivation.LeakyRelu)) continue;
            Assert.True(trace.Z[l].Enumerate().Any(z => z < 0), $"{reference.Layers[l].Name}: no negative pre-activation");
            Assert.True(trace.Z[l].Enumerate().Any(z => z > 0), $"{reference.Layers[l].Name}: no positive pre-activation");
        }
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

    /// <summary>Compares every gradient tensor of the network with the reference's, and checks no-bias layers have no bias tensor.</summary>
    public static void AssertGradients(ReferenceMlp.Gradients expected, ITestNetwork network, double relative)
    {
        IReadOnlyList<LayerView> layers = network.Layers;
        for (int l = 0; l < layers.Count; l++)
        {
            if (expected.Weight[l] is not { } expectedWeight) continue; // an activation layer has no parameters
            NamedTensor weight = Parameter(network, layers[l].Name + ".weight");
            AssertClose(expectedWeight, AsMatrix(weight, weight.Gradients!), relative, weight.Name + " gradient");
            Vector<double>? bias = expected.Bias[l];
            if (bias is null)
            {
                Assert.DoesNotContain(network.Parameters, p => p.Name == layers[l].Name + ".bias");
                continue;
            }
            NamedTensor biasTensor = Parameter(network, layers[l].Name + ".bias");
            AssertClose(bias, Vector<float>.Build.Dense(biasTensor.Gradients!), relative, biasTensor.Name + " gradient");
        }
    }

    /// <summary>
    /// Compares the network's parameters (through its MathNet views) and its whole optimizer state with the reference's:
    /// the state tensors are exactly those PyTorch keeps (names in parameter order), with the reference's values,
    /// or zeros where PyTorch has not created them yet (SGD's momentum buffer before the first step).
    /// </summary>
    public static void AssertParametersAndState(ReferenceMlp expected, ITestNetwork network, double relative, string when)
    {
        IReadOnlyList<LayerView> layers = network.Layers;
        IReadOnlyList<string> stateNames = expected.Optimizer.StateNames;
        var expectedStateNames = new List<string>();
        for (int l = 0; l < layers.Count; l++)
        {
            ReferenceMlp.Layer reference = expected.Layers[l];
            string name = layers[l].Name;
            if (reference.Weight is null || layers[l].Weight is null)
            {
                Assert.True(reference.Weight is null && layers[l].Weight is null, $"{name}: an activation layer in one description only");
                continue;
            }
            AssertClose(reference.Weight, layers[l].Weight!, relative, $"{name}.weight {when}");
            expectedStateNames.AddRange(stateNames.Select(s => $"{name}.weight.{s}"));
            foreach (string s in stateNames)
            {
                NamedTensor state = State(network, $"{name}.weight.{s}");
                Matrix<double> value = reference.WeightState.TryGetValue(s, out Matrix<double>? v) ? v : Matrix<double>.Build.Dense(reference.Weight.RowCount, reference.Weight.ColumnCount);
                AssertClose(value, AsMatrix(state, state.Values), relative, $"{state.Name} {when}");
            }
            Assert.Equal(reference.Bias is null, layers[l].Bias is null);
            if (reference.Bias is null) continue;
            AssertClose(reference.Bias, layers[l].Bias!, relative, $"{name}.bias {when}");
            expectedStateNames.AddRange(stateNames.Select(s => $"{name}.bias.{s}"));
            foreach (string s in stateNames)
            {
                NamedTensor state = State(network, $"{name}.bias.{s}");
                Matrix<double> value = reference.BiasState.TryGetValue(s, out Matrix<double>? v) ? v : Matrix<double>.Build.Dense(reference.Bias.Count, 1);
                AssertClose(value, Vector<float>.Build.Dense(state.Values).ToColumnMatrix(), relative, $"{state.Name} {when}");
            }
        }
        Assert.Equal(expectedStateNames, network.OptimizerState.Select(s => s.Name));
    }
}
