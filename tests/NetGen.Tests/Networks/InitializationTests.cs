using System;
using System.Linq;
using Xunit;
using static NetGen.Tests.Networks.NetworkTestKit;

namespace NetGen.Tests.Networks;

/// <summary>
/// Seeded initialization, deterministic per seed: PyTorch's nn.Linear U(-1/sqrt(fan_in), 1/sqrt(fan_in)) by default,
/// and torch.nn.init's xavier_uniform, kaiming_uniform, kaiming_normal (bias 0) and zeros per layer.
/// </summary>
public sealed class InitializationTests
{
    [Theory]
    [InlineData("tiny")]
    [InlineData("odd")]
    [InlineData("digits")]
    [MemberData(nameof(FeatureNetworkNames), MemberType = typeof(NetworkTestKit))]
    public void SameSeed_GivesIdenticalParameters_OtherSeedsDiffer(string name)
    {
        ITestNetwork a = Create(name, seed: 123), b = Create(name, seed: 123), c = Create(name, seed: 124);
        for (int i = 0; i < a.Parameters.Count; i++)
        {
            Assert.Equal(a.Parameters[i].Values, b.Parameters[i].Values);
            // Tensors that start at 0 (zeros, and the bias of the named initializers) are the same for every seed.
            if (a.Parameters[i].Values.Any(v => v != 0)) Assert.NotEqual(a.Parameters[i].Values, c.Parameters[i].Values);
        }
    }

    [Fact]
    public void NoSeed_UsesTheSpecsSeedAndBatchSize()
    {
        var net = new TinyNet();
        Assert.Equal(3, net.Seed);
        Assert.Equal(3, net.MaxBatchSize);
        Assert.Equal(new TrainingDefaults(3, 1, 3), net.Defaults);
        Assert.Equal(0.01f, net.LearningRate);
        Assert.Equal(0, net.Step);
        Assert.Equal("tiny", net.NetworkName);
        var seeded = new TinyNet(seed: 3);
        for (int i = 0; i < net.Parameters.Count; i++) Assert.Equal(seeded.Parameters[i].Values, net.Parameters[i].Values);
        Assert.Equal(17, new TinyNet(maxBatchSize: 17).MaxBatchSize);
    }

    /// <summary>Each feature network starts with the learning rate and training defaults its json gives.</summary>
    [Theory]
    [InlineData("leaky", 4, 12)]
    [InlineData("dropout", 4, 16)]
    [InlineData("bce", 5, 19)]
    [InlineData("sgd", 4, 22)]
    [InlineData("nesterov", 4, 24)]
    [InlineData("xavier", 3, 25)]
    public void FeatureNetworks_StartWithTheirSpecsSettings(string name, int batchSize, int seed)
    {
        ITestNetwork net = Create(name);
        Assert.Equal(new TrainingDefaults(batchSize, 1, seed), net.Defaults);
        Assert.Equal(seed, net.Seed);
        Assert.Equal((float)net.Optimizer.LearningRate, net.LearningRate);
        Assert.Equal(name, net.NetworkName);
    }

    [Theory]
    [InlineData("odd")]
    [InlineData("momentum")]
    [InlineData("nesterov")]
    [InlineData("adamw")]
    [InlineData("sgd")]
    public void NewNetwork_HasZeroGradientsAndOptimizerState(string name)
    {
        ITestNetwork net = Create(name, seed: 9);
        Assert.All(net.Parameters, p => Assert.All(p.Gradients!, g => Assert.Equal(0f, g)));
        Assert.All(net.OptimizerState, s => Assert.All(s.Values, v => Assert.Equal(0f, v)));
        Assert.Equal(net.Parameters.Count * net.Optimizer.StateNames.Count, net.OptimizerState.Count);
    }

    /// <summary>
    /// PyTorch's order: each layer's weight row by row ([out, in]), then its bias (if it has one), from one stream.
    /// Dropout layers draw nothing at initialization (their masks come from another stream).
    /// </summary>
    [Theory]
    [InlineData("tiny", 3)]
    [InlineData("mixed", 77)]
    [InlineData("odd", -5)]
    [InlineData("leaky", 4)]
    [InlineData("nobias", 6)]
    [InlineData("dropout", 8)]
    [InlineData("sgd", 10)]
    public void DefaultValues_AreDrawnInPyTorchElementOrder(string name, int seed)
    {
        ITestNetwork net = Create(name, seed);
        var random = new RandomSource(seed);
        foreach (LayerView layer in net.Layers)
        {
            float bound = 1f / MathF.Sqrt(layer.Weight!.ColumnCount);
            for (int o = 0; o < layer.Weight!.RowCount; o++)
                for (int i = 0; i < layer.Weight!.ColumnCount; i++)
                    Assert.Equal(random.NextFloat(-bound, bound), layer.Weight![o, i]);
            if (layer.Bias is null) continue;
            for (int o = 0; o < layer.Bias.Count; o++) Assert.Equal(random.NextFloat(-bound, bound), layer.Bias[o]);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Values_LieWithinTheFanInBound_AndFillIt(int seed)
    {
        var net = new DigitsNet(seed);
        foreach (LayerView layer in net.Layers)
        {
            double bound = 1 / Math.Sqrt(layer.Weight!.ColumnCount);
            Assert.All(layer.Weight!.Enumerate(), w => Assert.InRange(Math.Abs(w), 0, bound));
            Assert.All(layer.Bias!.Enumerate(), b => Assert.InRange(Math.Abs(b), 0, bound));
        }

        // fc1 has 25088 weights: a uniform sample that size reaches the bound's edges, with mean 0 and variance bound^2 / 3.
        double fc1Bound = 1 / Math.Sqrt(784);
        double[] weights = net.Fc1Weight.Enumerate().Select(w => (double)w).ToArray();
        double mean = weights.Average();
        double variance = weights.Select(w => (w - mean) * (w - mean)).Average();
        Assert.True(weights.Max(Math.Abs) > 0.9 * fc1Bound, "no weight near the bound");
        Assert.True(weights.Max() > 0.9 * fc1Bound && weights.Min() < -0.9 * fc1Bound, "the weights are not spread over both signs");
        Assert.InRange(mean, -0.02 * fc1Bound, 0.02 * fc1Bound);
        Assert.InRange(variance, 0.95 * fc1Bound * fc1Bound / 3, 1.05 * fc1Bound * fc1Bound / 3);
    }

    /// <summary>
    /// xavier_uniform: U(±sqrt(6 / (fan_in + fan_out))); kaiming_uniform: U(±sqrt(6 / fan_in)); both with bias 0.
    /// Every layer lies within its own bound and reaches near it; fc1 (300 x 101 = 30300 weights) has the uniform's
    /// mean 0 and variance bound^2 / 3 within 5 standard errors.
    /// </summary>
    [Theory]
    [InlineData("xavier", 1)]
    [InlineData("xavier", 2)]
    [InlineData("kaimingu", 1)]
    [InlineData("kaimingu", 2)]
    public void UniformInitializers_HaveTheirBoundsAndMoments_AndZeroBias(string name, int seed)
    {
        var net = (IInitializerNetwork)Create(name, seed);
        for (int l = 0; l < net.Layers.Count; l++)
        {
            LayerView layer = net.Layers[l];
            int fanIn = layer.Weight!.ColumnCount, fanOut = layer.Weight!.RowCount;
            double bound = net.Inits[l] switch
            {
                InitKind.XavierUniform => Math.Sqrt(6.0 / (fanIn + fanOut)),
                InitKind.KaimingUniform => Math.Sqrt(6.0 / fanIn),
                _ => throw new InvalidOperationException(),
            };
            double[] weights = layer.Weight!.Enumerate().Select(w => (double)w).ToArray();
            Assert.All(weights, w => Assert.InRange(w, -bound, bound));
            // With n uniform values, P(all |w| <= 0.8 bound) = 0.8^n: below 1e-60 for fc2's 707.
            Assert.True(weights.Max() > 0.8 * bound && weights.Min() < -0.8 * bound, $"{layer.Name}: the weights do not fill ±{bound:G4}");
            Assert.All(layer.Bias!.Enumerate(), b => Assert.Equal(0f, b));
            if (l > 0) continue;

            int n = weights.Length;
            double mean = weights.Average();
            double secondMoment = weights.Select(w => w * w).Average();
            double variance = bound * bound / 3;
            // Standard errors: of the mean sqrt(variance / n); of the mean of w^2, sqrt(Var(w^2) / n) with Var(w^2) = 4 bound^4 / 45.
            Assert.InRange(mean, -5 * Math.Sqrt(variance / n), 5 * Math.Sqrt(variance / n));
            double secondMomentError = Math.Sqrt(4 * Math.Pow(bound, 4) / 45 / n);
            Assert.InRange(secondMoment, variance - 5 * secondMomentError, variance + 5 * secondMomentError);
            Assert.True(weights.Max() > 0.99 * bound && weights.Min() < -0.99 * bound, "fc1 does not reach its bound");
        }
    }

    /// <summary>
    /// kaiming_normal: N(0, 2 / fan_in), bias 0. fc1's 30300 weights: mean, variance, and the fractions within one and
    /// beyond two standard deviations, each within 5 standard errors of the normal's values; fc2's variance too.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void KaimingNormal_HasTheNormalsMoments_AndZeroBias(int seed)
    {
        var net = new KaimingNormalNet(seed);
        foreach (LayerView layer in net.Layers)
        {
            double std = Math.Sqrt(2.0 / layer.Weight!.ColumnCount);
            double[] weights = layer.Weight!.Enumerate().Select(w => (double)w).ToArray();
            int n = weights.Length;
            double mean = weights.Average();
            double variance = weights.Select(w => w * w).Average();
            Assert.All(layer.Bias!.Enumerate(), b => Assert.Equal(0f, b));
            Assert.InRange(mean, -5 * std / Math.Sqrt(n), 5 * std / Math.Sqrt(n));
            // The mean of w^2 estimates std^2 with standard error std^2 sqrt(2 / n).
            Assert.InRange(variance, std * std * (1 - 5 * Math.Sqrt(2.0 / n)), std * std * (1 + 5 * Math.Sqrt(2.0 / n)));
            // P(|w| > 6 std) = 2e-9 per value.
            Assert.All(weights, w => Assert.InRange(w, -6 * std, 6 * std));
            if (layer.Name != "fc1") continue;

            AssertFraction(weights.Count(w => Math.Abs(w) < std), n, 0.682689492, "within one standard deviation");
            AssertFraction(weights.Count(w => Math.Abs(w) > 2 * std), n, 0.045500264, "beyond two standard deviations");
            AssertFraction(weights.Count(w => w > 0), n, 0.5, "positive");
        }
    }

    /// <summary>The first layer's weights are the first draws of the seed's stream 0 in [out, in] order, per the initializer's formula.</summary>
    [Theory]
    [InlineData("xavier", 3)]
    [InlineData("kaimingu", 4)]
    [InlineData("kaimingn", 5)]
    public void NamedInitializers_DrawTheFirstLayerInPyTorchElementOrder(string name, int seed)
    {
        var net = (IInitializerNetwork)Create(name, seed);
        LayerView layer = net.Layers[0];
        int fanIn = layer.Weight!.ColumnCount, fanOut = layer.Weight!.RowCount;
        var random = new RandomSource(seed);
        // Float arithmetic rounds -a + 2a u to within a few ulps of a, whatever the value's own size.
        double tolerance = 1e-6 * Math.Sqrt(6.0 / fanIn);
        Func<double> draw = net.Inits[0] switch
        {
            InitKind.XavierUniform => () => Uniform(random, Math.Sqrt(6.0 / (fanIn + fanOut))),
            InitKind.KaimingUniform => () => Uniform(random, Math.Sqrt(6.0 / fanIn)),
            InitKind.KaimingNormal => () => Math.Sqrt(2.0 / fanIn) * random.NextGaussian(),
            _ => throw new InvalidOperationException(),
        };
        for (int o = 0; o < fanOut; o++)
        {
            for (int i = 0; i < fanIn; i++)
            {
                double expected = draw();
                Assert.True(Math.Abs(layer.Weight[o, i] - expected) <= tolerance,
                    $"{layer.Name}.weight[{o}, {i}] is {layer.Weight[o, i]:R}, expected {expected:R}");
            }
        }
    }

    /// <summary>"zeros" layers start with weight and bias exactly 0; the default layer before them is drawn as usual.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(-7)]
    public void Zeros_StartExactlyAtZero(int seed)
    {
        var net = new ZerosNet(seed);
        Assert.All(new[] { net.Fc2Weight, net.Fc3Weight }, w => Assert.All(w.Enumerate(), v => Assert.Equal(0f, v)));
        Assert.All(new[] { net.Fc2Bias, net.Fc3Bias }, b => Assert.All(b.Enumerate(), v => Assert.Equal(0f, v)));
        var random = new RandomSource(seed);
        float bound = 1f / MathF.Sqrt(ZerosNet.InputSize);
        for (int o = 0; o < 7; o++)
            for (int i = 0; i < ZerosNet.InputSize; i++)
                Assert.Equal(random.NextFloat(-bound, bound), net.Fc1Weight[o, i]);
        for (int o = 0; o < 7; o++) Assert.Equal(random.NextFloat(-bound, bound), net.Fc1Bias[o]);

        // All-zero layers give uniform softmax outputs: the logits are exactly 0.
        float[] logits = new float[3 * ZerosNet.OutputSize];
        net.Forward(RandomInputs(1900, 3, ZerosNet.InputSize), logits);
        Assert.All(logits, v => Assert.Equal(0f, v));
    }

    private static double Uniform(RandomSource random, double bound) => -bound + 2 * bound * random.NextFloat();

    private static void AssertFraction(int count, int n, double p, string what)
    {
        double fraction = count / (double)n, error = Math.Sqrt(p * (1 - p) / n);
        Assert.True(Math.Abs(fraction - p) <= 5 * error, $"fraction {what} is {fraction:F4}, expected {p:F4} ± {5 * error:F4}");
    }
}
