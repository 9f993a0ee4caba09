using System.Linq;
using MathNet.Numerics.LinearAlgebra;
using Xunit;
using static NetGen.Tests.Networks.NetworkTestKit;

namespace NetGen.Tests.Networks;

/// <summary>
/// The generated trainers against <see cref="ReferenceMlp"/>: logits, loss, every gradient, and parameters and
/// Adam moments after one and three optimizer steps. Float against double, so 1e-5 (norm-relative) is ample.
/// </summary>
public sealed class ReferenceComparisonTests
{
    private const double Tolerance = 1e-5;

    [Fact]
    public void Tiny_MatchesReference_ThroughThreeAdamSteps()
    {
        var net = new TinyNet(seed: 3);
        Assert.Equal(3, net.MaxBatchSize);
        AssertTrainingMatchesReference(net, rows: 3, dataSeed: 100, requireSkippedZeros: true);
    }

    [Fact]
    public void Mixed_IdentityHiddenLayerNamedLayersAndCustomAdam_MatchReference()
    {
        var net = new MixedNet(seed: 21);
        AssertTrainingMatchesReference(net, rows: 4, dataSeed: 200, requireSkippedZeros: true);
    }

    /// <summary>Odd sizes (scalar tails in every kernel) with a batch of one row and a full batch.</summary>
    [Theory]
    [InlineData("odd", false)]
    [InlineData("odd", true)]
    [InlineData("narrow", false)]
    [InlineData("narrow", true)]
    [InlineData("wide", false)]
    [InlineData("wide", true)]
    [InlineData("digits", false)]
    [InlineData("digits", true)]
    public void TailSizes_MatchReference_ForOneRowAndFullBatches(string name, bool fullBatch)
    {
        ITestNetwork net = Create(name, seed: 31);
        AssertTrainingMatchesReference(net, rows: fullBatch ? net.MaxBatchSize : 1, dataSeed: 300, requireSkippedZeros: false);
    }

    /// <summary>130 rows: more than two of Forward's internal chunks (at most 64 rows each), ending in a partial one.</summary>
    [Theory]
    [InlineData("tiny")]
    [InlineData("mixed")]
    [InlineData("odd")]
    [InlineData("narrow")]
    [InlineData("wide")]
    [InlineData("digits")]
    public void Forward_On130Rows_MatchesReference(string name)
    {
        ITestNetwork net = Create(name, seed: 41);
        float[] inputs = RandomInputs(400, 130, net.InputSize);
        Matrix<double> expected = ReferenceMlp.From(net).Logits(ToMatrix(inputs, net.InputSize));
        AssertClose(expected, Forward(net, inputs), Tolerance, $"{name} logits of 130 rows");
    }

    [Fact]
    public void ComputeGradients_ReplacesThePreviousGradients()
    {
        var net = new OddNet(seed: 61);
        ReferenceMlp reference = ReferenceMlp.From(net);
        net.ComputeGradients(RandomInputs(450, 5, OddNet.InputSize), RandomLabels(451, 5, OddNet.OutputSize));
        float[] inputs = RandomInputs(452, 3, OddNet.InputSize);
        int[] labels = RandomLabels(453, 3, OddNet.OutputSize);
        float loss = net.ComputeGradients(inputs, labels);
        ReferenceMlp.Gradients expected = reference.Backward(ToMatrix(inputs, OddNet.InputSize), labels);
        AssertClose(expected.Loss, loss, Tolerance, "loss");
        AssertGradients(expected, net, Tolerance);
        Assert.Equal(0, net.Step);
    }

    /// <summary>
    /// The spec accepts "relu" on the output layer, and Forward applies it to the logits, so the loss is that of
    /// relu(z): its gradient must be masked by relu'(z) of the output layer.
    /// </summary>
    [Fact]
    public void ReluOnOutputLayer_MatchesReference()
    {
        var net = new ReluLastNet(seed: 2);
        AssertTrainingMatchesReference(net, rows: 4, dataSeed: 500, requireSkippedZeros: false);
    }

    /// <summary>
    /// Step 1 with ComputeGradients + OptimizerStep (checking logits, loss and gradients), steps 2 and 3 with
    /// TrainStep on new batches, the learning rate changed before step 3; parameters and moments compared after 1 and 3.
    /// </summary>
    private static void AssertTrainingMatchesReference(ITestNetwork net, int rows, int dataSeed, bool requireSkippedZeros)
    {
        ReferenceMlp reference = ReferenceMlp.From(net);
        float[][] inputs = Enumerable.Range(0, 3).Select(k => RandomInputs(dataSeed + k, rows, net.InputSize)).ToArray();
        int[][] labels = Enumerable.Range(0, 3).Select(k => RandomLabels(dataSeed + 10 + k, rows, net.OutputSize)).ToArray();
        Matrix<double> x0 = ToMatrix(inputs[0], net.InputSize);

        if (requireSkippedZeros)
        {
            // The batch must reach the kernels' zero-skipping branches, or this test proves nothing about them.
            Assert.Contains(0f, inputs[0]);
            Assert.True(DeadReluOutputs(reference, reference.Forward(x0)) > 0, "no ReLU output is 0 in the first batch");
        }

        AssertClose(reference.Logits(x0), Forward(net, inputs[0]), Tolerance, "logits");

        ReferenceMlp.Gradients expected = reference.Backward(x0, labels[0]);
        float loss = net.ComputeGradients(inputs[0], labels[0]);
        AssertClose(expected.Loss, loss, Tolerance, "loss");
        AssertGradients(expected, net, Tolerance);

        net.OptimizerStep();
        reference.AdamStep(expected);
        Assert.Equal(1, net.Step);
        AssertParametersAndMoments(reference, net, Tolerance, "after 1 step");

        AssertClose(reference.TrainStep(ToMatrix(inputs[1], net.InputSize), labels[1]), net.TrainStep(inputs[1], labels[1]), Tolerance, "loss of step 2");
        net.LearningRate *= 0.5f;
        reference.LearningRate = net.LearningRate;
        AssertClose(reference.TrainStep(ToMatrix(inputs[2], net.InputSize), labels[2]), net.TrainStep(inputs[2], labels[2]), Tolerance, "loss of step 3");
        Assert.Equal(3, net.Step);
        AssertParametersAndMoments(reference, net, Tolerance, "after 3 steps");

        AssertClose(reference.Logits(x0), Forward(net, inputs[0]), Tolerance, "logits after 3 steps");
    }
}
