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

    public static TheoryData<string, string, int, int> BadTargetBatches => new()
    {
        // network, case, input values, target values (mse: 3 outputs, MaxBatchSize 4; bce: 1 output, MaxBatchSize 5)
        { "mse", "no rows", 0, 0 },
        { "mse", "a partial row of targets", 2 * 5, 2 * 3 + 1 },
        { "mse", "a target row short", 2 * 5, 2 * 3 - 1 },
        { "mse", "more rows than MaxBatchSize", 5 * 5, 5 * 3 },
        { "mse", "fewer input rows than target rows", 2 * 5, 3 * 3 },
        { "mse", "more input rows than target rows", 3 * 5, 2 * 3 },
        { "mse", "a partial input row", 2 * 5 + 1, 2 * 3 },
        { "mse", "targets given as one value per row", 3 * 5, 3 },
        { "bce", "no rows", 0, 0 },
        { "bce", "more rows than MaxBatchSize", 6 * 5, 6 },
        { "bce", "fewer input rows than target rows", 2 * 5, 3 },
        { "bce", "more input rows than target rows", 4 * 5, 3 },
        { "bce", "a partial input row", 3 * 5 - 1, 3 },
        { "mse", "inputs of one row, targets of two", 5, 6 },
    };

    /// <summary>The float-targets overloads reject mismatched lengths with ArgumentException, before changing anything.</summary>
    [Theory]
    [MemberData(nameof(BadTargetBatches))]
    public void TargetOverloads_RejectBadLengths_AndChangeNothing(string name, string reason, int inputValues, int targetValues)
    {
        var net = (ITargetNetwork)Create(name, seed: 1);
        net.ComputeGradients(RandomInputs(910, 2, net.InputSize), RandomTargets(911, 2, net.OutputSize));
        float[][] before = net.Parameters.SelectMany(p => new[] { p.Values.ToArray(), p.Gradients!.ToArray() })
            .Concat(net.OptimizerState.Select(s => s.Values.ToArray())).ToArray();

        float[] inputs = RandomInputs(912, 1, inputValues, zeroFraction: 0);
        float[] targets = RandomTargets(913, 1, targetValues);
        Assert.ThrowsAny<ArgumentException>(() => net.TrainStep(inputs, targets));
        Assert.ThrowsAny<ArgumentException>(() => net.ComputeGradients(inputs, targets));

        Assert.Equal(0, net.Step);
        float[][] after = net.Parameters.SelectMany(p => new[] { p.Values, p.Gradients! }).Concat(net.OptimizerState.Select(s => s.Values)).ToArray();
        for (int i = 0; i < before.Length; i++) Assert.True(before[i].AsSpan().SequenceEqual(after[i]), $"{reason}: a parameter, gradient or optimizer state changed");
    }

    /// <summary>The integer-label overloads of MSE and binary cross-entropy accept labels below ClassCount only.</summary>
    [Theory]
    [InlineData("mse", 3)]
    [InlineData("mse", -1)]
    [InlineData("bce", 2)]
    [InlineData("bce", -1)]
    public void LabelOverloads_OfTargetLosses_RejectLabelsOutsideTheClasses(string name, int label)
    {
        ITestNetwork net = Create(name, seed: 1);
        float[] inputs = RandomInputs(914, 2, net.InputSize);
        Assert.ThrowsAny<ArgumentException>(() => net.TrainStep(inputs, new[] { 0, label }));
        Assert.ThrowsAny<ArgumentException>(() => net.ComputeGradients(inputs, new[] { label, 0 }));
        Assert.Equal(0, net.Step);
        Assert.True(float.IsFinite(net.TrainStep(inputs, new[] { net.ClassCount - 1, 0 })));
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

    /// <summary>The largest batch is said, so that a program can tell its user (2^29 - 1 values a buffer; "tiny"'s widest row is 7).</summary>
    [Theory]
    [InlineData(76_695_845)]
    [InlineData(int.MaxValue)]
    public void Constructor_RejectsABatchTooLargeForItsBuffers_NamingTheLargest(int maxBatchSize)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new TinyNet(seed: 1, maxBatchSize: maxBatchSize));
        Assert.Equal("maxBatchSize", ex.ParamName);
        Assert.StartsWith("The batch size is too large for this network's buffers: at most 76695844 rows of 7 values fit.", ex.Message);
        Assert.Equal(684_784, NetGen.Kernels.Checks.MaxBatchSize(684_784, widestRow: 784));
        Assert.Contains("at most 684784 rows of 784 values fit", Assert.Throws<ArgumentOutOfRangeException>(() => NetGen.Kernels.Checks.MaxBatchSize(684_785, widestRow: 784)).Message);
    }
}
