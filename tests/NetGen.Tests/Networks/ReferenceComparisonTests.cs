using System.Linq;
using MathNet.Numerics.LinearAlgebra;
using Xunit;
using static NetGen.Tests.Networks.NetworkTestKit;

namespace NetGen.Tests.Networks;

/// <summary>
/// The generated trainers against <see cref="ReferenceMlp"/>: logits, loss, every gradient, and parameters and
/// optimizer state after one and three optimizer steps. Float against double, so 1e-5 (norm-relative) is ample.
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

    [Theory]
    [MemberData(nameof(FeatureNetworkNames), MemberType = typeof(NetworkTestKit))]
    public void FeatureNetworks_Forward_On130Rows_MatchesReference(string name) => Forward_On130Rows_MatchesReference(name);

    /// <summary>
    /// Every network of features.nets.json (each activation, no-bias layers, dropout with the replayed masks, each
    /// loss with float targets and integer labels, each optimizer, each initializer) with one row and a full batch.
    /// </summary>
    [Theory]
    [MemberData(nameof(FeatureNetworksAndBatches))]
    public void FeatureNetworks_MatchReference_ThroughThreeSteps(string name, bool fullBatch)
    {
        ITestNetwork net = Create(name, seed: 33);
        AssertTrainingMatchesReference(net, rows: fullBatch ? net.MaxBatchSize : 1, dataSeed: 310, requireSkippedZeros: false);
    }

    public static TheoryData<string, bool> FeatureNetworksAndBatches()
    {
        var data = new TheoryData<string, bool>();
        foreach (string name in FeatureNetworks)
        {
            data.Add(name, false);
            data.Add(name, true);
        }
        return data;
    }

    /// <summary>
    /// The integer-label overloads of the target losses train exactly as the float overloads with the documented targets:
    /// one-hot rows for MSE, the label itself for binary cross-entropy; both as the reference does.
    /// </summary>
    [Theory]
    [InlineData("mse")]
    [InlineData("bce")]
    [InlineData("xormse")]
    [InlineData("xorbce")]
    public void LabelOverloads_EqualFloatTargets_OneHotForMse_TheLabelForBce(string name)
    {
        var byLabels = (ITargetNetwork)Create(name, seed: 71);
        var byTargets = (ITargetNetwork)Create(name, seed: 71);
        ReferenceMlp reference = ReferenceMlp.From(byLabels);
        int rows = byLabels.MaxBatchSize;
        for (int step = 0; step < 2; step++)
        {
            float[] inputs = RandomInputs(460 + step, rows, byLabels.InputSize);
            int[] labels = RandomLabels(470 + step, rows, byLabels);
            float[] targets = byLabels.Loss == ReferenceLoss.BinaryCrossEntropy
                ? labels.Select(l => (float)l).ToArray()
                : labels.SelectMany(l => Enumerable.Range(0, byLabels.OutputSize).Select(o => o == l ? 1f : 0f)).ToArray();
            float loss = byLabels.TrainStep(inputs, labels);
            Assert.Equal(loss, byTargets.TrainStep(inputs, targets));
            AssertClose(reference.TrainStep(ToMatrix(inputs, byLabels.InputSize), ToMatrix(targets, byLabels.OutputSize)), loss, Tolerance, $"loss of step {step + 1}");
        }
        for (int i = 0; i < byLabels.Parameters.Count; i++) Assert.Equal(byLabels.Parameters[i].Values, byTargets.Parameters[i].Values);
        AssertParametersAndState(reference, byLabels, Tolerance, "after 2 steps");
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
    /// TrainStep on new batches, the learning rate changed before step 3; parameters and optimizer state compared after 1 and 3.
    /// A network trained towards float targets takes them in steps 1 and 3 and integer labels in step 2; a network with
    /// dropout gets, in the reference, the masks replayed from its DropoutRandom before each step.
    /// </summary>
    internal static void AssertTrainingMatchesReference(ITestNetwork net, int rows, int dataSeed, bool requireSkippedZeros)
    {
        ReferenceMlp reference = ReferenceMlp.From(net);
        float[][] inputs = Enumerable.Range(0, 3).Select(k => RandomInputs(dataSeed + k, rows, net.InputSize)).ToArray();
        int[][] labels = Enumerable.Range(0, 3).Select(k => RandomLabels(dataSeed + 10 + k, rows, net)).ToArray();
        float[][] targets = Enumerable.Range(0, 3).Select(k => RandomTargets(dataSeed + 20 + k, rows, net.OutputSize)).ToArray();
        Matrix<double> x0 = ToMatrix(inputs[0], net.InputSize);

        if (requireSkippedZeros)
        {
            // The batch must reach the kernels' zero-skipping branches, or this test proves nothing about them.
            Assert.Contains(0f, inputs[0]);
            Assert.True(DeadReluOutputs(reference, reference.Forward(x0)) > 0, "no ReLU output is 0 in the first batch");
        }

        AssertClose(reference.Logits(x0), Forward(net, inputs[0]), Tolerance, "logits");

        Matrix<double>?[]? masks = DropoutReplay.NextMasksIfAny(net, rows, out ulong[]? stateAfter);
        ReferenceMlp.Gradients expected = net is ITargetNetwork
            ? reference.Backward(x0, ToMatrix(targets[0], net.OutputSize), masks)
            : reference.Backward(x0, labels[0], masks);
        float loss = net is ITargetNetwork targetNet ? targetNet.ComputeGradients(inputs[0], targets[0]) : net.ComputeGradients(inputs[0], labels[0]);
        AssertClose(expected.Loss, loss, Tolerance, "loss");
        AssertGradients(expected, net, Tolerance);
        if (net is IDropoutNetwork dropout) Assert.Equal(stateAfter, dropout.DropoutRandom.GetState());

        net.OptimizerStep();
        reference.OptimizerStep(expected);
        Assert.Equal(1, net.Step);
        AssertParametersAndState(reference, net, Tolerance, "after 1 step");

        masks = DropoutReplay.NextMasksIfAny(net, rows, out _);
        AssertClose(reference.TrainStep(ToMatrix(inputs[1], net.InputSize), labels[1], masks), net.TrainStep(inputs[1], labels[1]), Tolerance, "loss of step 2");
        net.LearningRate *= 0.5f;
        reference.LearningRate = net.LearningRate;
        masks = DropoutReplay.NextMasksIfAny(net, rows, out _);
        Matrix<double> x2 = ToMatrix(inputs[2], net.InputSize);
        double expectedLoss3 = net is ITargetNetwork
            ? reference.TrainStep(x2, ToMatrix(targets[2], net.OutputSize), masks)
            : reference.TrainStep(x2, labels[2], masks);
        float loss3 = net is ITargetNetwork targetNet3 ? targetNet3.TrainStep(inputs[2], targets[2]) : net.TrainStep(inputs[2], labels[2]);
        AssertClose(expectedLoss3, loss3, Tolerance, "loss of step 3");
        Assert.Equal(3, net.Step);
        AssertParametersAndState(reference, net, Tolerance, "after 3 steps");

        AssertClose(reference.Logits(x0), Forward(net, inputs[0]), Tolerance, "logits after 3 steps");
    }
}
