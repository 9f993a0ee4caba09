using System;
using Xunit;
using static NetGen.Tests.Networks.NetworkTestKit;

namespace NetGen.Tests.Networks;

/// <summary>Forward on many rows, Forward on one row and Predict agree with each other exactly.</summary>
public sealed class ForwardConsistencyTests
{
    [Theory]
    [InlineData("tiny")]
    [InlineData("mixed")]
    [InlineData("odd")]
    [InlineData("narrow")]
    [InlineData("wide")]
    [InlineData("digits")]
    [MemberData(nameof(FeatureNetworkNames), MemberType = typeof(NetworkTestKit))]
    public void ForwardOfManyRows_EqualsRowByRowForwardAndPredict(string name)
    {
        ITestNetwork net = Create(name, seed: 51);
        const int rows = 130;
        float[] inputs = RandomInputs(600, rows, net.InputSize);
        var batch = new float[rows * net.OutputSize];
        net.Forward(inputs, batch);

        var single = new float[net.OutputSize];
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = inputs.AsSpan(r * net.InputSize, net.InputSize);
            net.Forward(row, single);
            ReadOnlySpan<float> expected = batch.AsSpan(r * net.OutputSize, net.OutputSize);
            Assert.True(expected.SequenceEqual(single), $"row {r}: Forward of 1 row differs from row {r} of Forward of {rows} rows");
            int expectedClass = net.Loss == ReferenceLoss.BinaryCrossEntropy ? (expected[0] > 0 ? 1 : 0) : ArgMax(expected);
            Assert.Equal(expectedClass, net.Predict(row));
            Assert.Equal(expectedClass, net.Classify(expected));
        }
    }

    [Fact]
    public void Predict_ReturnsTheFirstLargestLogit()
    {
        // Zero weights and a bias with a repeated maximum: every input gives logits [0.5, 2, 2].
        var net = new TinyNet(seed: 1);
        net.Fc3Weight.Clear();
        net.Fc3Bias.SetValues(new[] { 0.5f, 2f, 2f });
        Assert.Equal(1, net.Predict(new float[TinyNet.InputSize]));
        net.Fc3Bias[2] = 2.5f;
        Assert.Equal(2, net.Predict(new float[TinyNet.InputSize]));
    }

    /// <summary>Binary cross-entropy: two classes from one output, class 1 exactly when the output (a logit) is above 0.</summary>
    [Fact]
    public void BinaryCrossEntropy_ClassifiesBySignOfTheOneOutput()
    {
        INetwork net = new BceNet(seed: 1);
        Assert.Equal(1, net.OutputSize);
        Assert.Equal(2, net.ClassCount);
        Assert.Equal(1, net.Classify(new[] { 0.25f }));
        Assert.Equal(1, net.Classify(new[] { 1e-30f }));
        Assert.Equal(0, net.Classify(new[] { 0f }));
        Assert.Equal(0, net.Classify(new[] { -0f }));
        Assert.Equal(0, net.Classify(new[] { -3f }));
        Assert.ThrowsAny<ArgumentException>(() => net.Classify(new float[2]));
        Assert.ThrowsAny<ArgumentException>(() => net.Classify(ReadOnlySpan<float>.Empty));

        // Predict follows the output's sign: zero weights and a bias of +-0.5 give every input that logit.
        var bce = new BceNet(seed: 1);
        bce.Fc3Weight.Clear();
        bce.Fc3Bias[0] = 0.5f;
        Assert.Equal(1, bce.Predict(RandomInputs(610, 1, BceNet.InputSize)));
        bce.Fc3Bias[0] = -0.5f;
        Assert.Equal(0, bce.Predict(RandomInputs(610, 1, BceNet.InputSize)));
    }

    /// <summary>MSE: one class per output, the arg-max (the first on a tie), as with cross-entropy.</summary>
    [Fact]
    public void MeanSquaredError_ClassifiesByArgMax()
    {
        INetwork net = new MseNet(seed: 1);
        Assert.Equal(3, net.ClassCount);
        Assert.Equal(2, net.Classify(new[] { 0.1f, 0.2f, 0.3f }));
        Assert.Equal(0, net.Classify(new[] { 0.9f, 0.2f, 0.3f }));
        Assert.Equal(1, net.Classify(new[] { 0.1f, 0.7f, 0.7f }));
        Assert.Equal(0, net.Classify(new[] { -1f, -2f, -3f }));
        Assert.ThrowsAny<ArgumentException>(() => net.Classify(new float[2]));
        Assert.ThrowsAny<ArgumentException>(() => net.Classify(new float[4]));

        // The output layer's sigmoid keeps the order of its pre-activations: zero weights and a bias give them directly.
        var mse = new MseNet(seed: 1);
        mse.Fc3Weight.Clear();
        mse.Fc3Bias.SetValues(new[] { -1f, 2f, 2f });
        Assert.Equal(1, mse.Predict(new float[MseNet.InputSize]));
        mse.Fc3Bias[0] = 3f;
        Assert.Equal(0, mse.Predict(new float[MseNet.InputSize]));
    }

    [Fact]
    public void ClassCount_IsOnePerOutput_ForCrossEntropy()
    {
        Assert.Equal(3, ((INetwork)new TinyNet(seed: 1)).ClassCount);
        Assert.Equal(2, ((INetwork)new XorMseNet(seed: 1)).ClassCount);
        Assert.Equal(2, ((INetwork)new XorBceNet(seed: 1)).ClassCount);
    }

    [Fact]
    public void Forward_OfNoRows_WritesNothing()
    {
        var net = new TinyNet(seed: 1);
        net.Forward(ReadOnlySpan<float>.Empty, Span<float>.Empty);
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }
}
