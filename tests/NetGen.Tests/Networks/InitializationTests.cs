using System;
using System.Linq;
using Xunit;
using static NetGen.Tests.Networks.NetworkTestKit;

namespace NetGen.Tests.Networks;

/// <summary>Seeded, PyTorch-style initialization: U(-1/sqrt(fan_in), 1/sqrt(fan_in)), deterministic per seed.</summary>
public sealed class InitializationTests
{
    [Theory]
    [InlineData("tiny")]
    [InlineData("odd")]
    [InlineData("digits")]
    public void SameSeed_GivesIdenticalParameters_OtherSeedsDiffer(string name)
    {
        ITestNetwork a = Create(name, seed: 123), b = Create(name, seed: 123), c = Create(name, seed: 124);
        for (int i = 0; i < a.Parameters.Count; i++)
        {
            Assert.Equal(a.Parameters[i].Values, b.Parameters[i].Values);
            Assert.NotEqual(a.Parameters[i].Values, c.Parameters[i].Values);
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

    [Fact]
    public void NewNetwork_HasZeroGradientsAndMoments()
    {
        var net = new OddNet(seed: 9);
        Assert.All(net.Parameters, p => Assert.All(p.Gradients!, g => Assert.Equal(0f, g)));
        Assert.All(net.OptimizerState, s => Assert.All(s.Values, v => Assert.Equal(0f, v)));
    }

    /// <summary>PyTorch's order: each layer's weight row by row ([out, in]), then its bias, from one stream.</summary>
    [Theory]
    [InlineData("tiny", 3)]
    [InlineData("mixed", 77)]
    [InlineData("odd", -5)]
    public void Values_AreDrawnInPyTorchElementOrder(string name, int seed)
    {
        ITestNetwork net = Create(name, seed);
        var random = new RandomSource(seed);
        foreach (LayerView layer in net.Layers)
        {
            float bound = 1f / MathF.Sqrt(layer.Weight.ColumnCount);
            for (int o = 0; o < layer.Weight.RowCount; o++)
                for (int i = 0; i < layer.Weight.ColumnCount; i++)
                    Assert.Equal(random.NextFloat(-bound, bound), layer.Weight[o, i]);
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
            double bound = 1 / Math.Sqrt(layer.Weight.ColumnCount);
            Assert.All(layer.Weight.Enumerate(), w => Assert.InRange(Math.Abs(w), 0, bound));
            Assert.All(layer.Bias.Enumerate(), b => Assert.InRange(Math.Abs(b), 0, bound));
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
}
