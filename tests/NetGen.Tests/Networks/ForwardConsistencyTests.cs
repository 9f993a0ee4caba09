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
            Assert.Equal(ArgMax(expected), net.Predict(row));
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
