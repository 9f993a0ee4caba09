using System;
using System.Linq;
using Xunit;
using static NetGen.Tests.Networks.NetworkTestKit;

namespace NetGen.Tests.Networks;

/// <summary>Bad batches are rejected with ArgumentException (or a subclass) before they change anything.</summary>
public sealed class ArgumentValidationTests
{
    public static TheoryData<string, int, int, int> BadBatches => new()
    {
        // case, rows of inputs, number of labels, label value
        { "no rows", 0, 0, 0 },
        { "more rows than MaxBatchSize", 4, 4, 0 },
        { "fewer input rows than labels", 2, 3, 0 },
        { "more input rows than labels", 3, 2, 0 },
        { "negative label", 3, 3, -1 },
        { "label = OutputSize", 3, 3, 3 },
    };

    [Theory]
    [MemberData(nameof(BadBatches))]
    public void TrainStepAndComputeGradients_RejectBadBatches_AndChangeNothing(string reason, int inputRows, int labelCount, int label)
    {
        var net = new TinyNet(seed: 1);
        Assert.Equal(3, net.MaxBatchSize);
        net.ComputeGradients(RandomInputs(900, 3, TinyNet.InputSize), new[] { 0, 1, 2 });
        float[][] before = net.Parameters.SelectMany(p => new[] { p.Values.ToArray(), p.Gradients!.ToArray() }).ToArray();

        float[] inputs = RandomInputs(901, inputRows, TinyNet.InputSize);
        int[] labels = Enumerable.Repeat(label, labelCount).ToArray();
        Assert.ThrowsAny<ArgumentException>(() => net.TrainStep(inputs, labels));
        Assert.ThrowsAny<ArgumentException>(() => net.ComputeGradients(inputs, labels));

        Assert.Equal(0, net.Step);
        float[][] after = net.Parameters.SelectMany(p => new[] { p.Values, p.Gradients! }).ToArray();
        for (int i = 0; i < before.Length; i++) Assert.True(before[i].AsSpan().SequenceEqual(after[i]), $"{reason}: a parameter or gradient changed");
    }

    [Fact]
    public void TrainStep_RejectsAPartialInputRow()
    {
        var net = new TinyNet(seed: 1);
        Assert.ThrowsAny<ArgumentException>(() => net.TrainStep(new float[2 * TinyNet.InputSize + 1], new[] { 0, 1 }));
        Assert.ThrowsAny<ArgumentException>(() => net.TrainStep(new float[2 * TinyNet.InputSize - 1], new[] { 0, 1 }));
    }

    [Fact]
    public void TrainStep_AcceptsOneRowAndMaxBatchSizeRows()
    {
        var net = new TinyNet(seed: 1, maxBatchSize: 5);
        Assert.True(float.IsFinite(net.TrainStep(new float[TinyNet.InputSize], new[] { 2 })));
        Assert.True(float.IsFinite(net.TrainStep(RandomInputs(902, 5, TinyNet.InputSize), new[] { 0, 1, 2, 0, 1 })));
        Assert.ThrowsAny<ArgumentException>(() => net.TrainStep(RandomInputs(903, 6, TinyNet.InputSize), new int[6]));
    }

    [Fact]
    public void ForwardAndPredict_RejectMismatchedSpans()
    {
        var net = new TinyNet(seed: 1);
        Assert.ThrowsAny<ArgumentException>(() => net.Forward(new float[TinyNet.InputSize + 1], new float[TinyNet.OutputSize]));
        Assert.ThrowsAny<ArgumentException>(() => net.Forward(new float[2 * TinyNet.InputSize], new float[TinyNet.OutputSize]));
        Assert.ThrowsAny<ArgumentException>(() => net.Forward(new float[2 * TinyNet.InputSize], new float[3 * TinyNet.OutputSize]));
        Assert.ThrowsAny<ArgumentException>(() => net.Predict(new float[TinyNet.InputSize - 1]));
        Assert.ThrowsAny<ArgumentException>(() => net.Predict(new float[2 * TinyNet.InputSize]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Constructor_RejectsANonPositiveMaxBatchSize(int maxBatchSize) =>
        Assert.ThrowsAny<ArgumentException>(() => new TinyNet(seed: 1, maxBatchSize: maxBatchSize));
}
