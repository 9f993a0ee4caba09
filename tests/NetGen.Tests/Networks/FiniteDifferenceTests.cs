using System;
using System.Linq;
using MathNet.Numerics.LinearAlgebra;
using Xunit;
using static NetGen.Tests.Networks.NetworkTestKit;

namespace NetGen.Tests.Networks;

/// <summary>
/// Every gradient element of the generated backward pass against a central difference of the reference loss
/// (double precision, the network's own weights): a check that needs no hand-derived backward at all.
/// </summary>
public sealed class FiniteDifferenceTests
{
    private const double H = 1e-3;

    /// <summary>Smallest distance from a kink allowed: perturbations of H move no pre-activation across one.</summary>
    private const double KinkMarginRequired = 1e-2;

    /// <summary>
    /// Seeds chosen so that the batch keeps <see cref="KinkMarginRequired"/> from every kink (relu and leaky_relu at 0),
    /// has zero inputs, and has pre-activations on both sides of every kink (dead ReLUs included).
    /// Every activation and loss is here; the dropout network's masks are replayed from its DropoutRandom.
    /// </summary>
    [Theory]
    [InlineData("tiny", 22, 1022)]
    [InlineData("tiny", 19, 1019)]
    [InlineData("mixed", 1, 1001)]
    [InlineData("leaky", 15, 1115)]
    [InlineData("saturating", 1, 1201)]
    [InlineData("smooth", 1, 1301)]
    [InlineData("nobias", 2, 1402)]
    [InlineData("dropout", 6, 1506)]
    [InlineData("mse", 1, 1601)]
    [InlineData("bce", 3, 1703)]
    [InlineData("relulast", 2, 1802)]
    [InlineData("actlayers", 15, 1915)]
    [InlineData("actlayers", 17, 1917)]
    [InlineData("actlast", 1, 1901)]
    [InlineData("actlast", 2, 1902)]
    public void EveryGradientElement_MatchesCentralDifferences(string name, int seed, int dataSeed)
    {
        ITestNetwork net = Create(name, seed);
        int rows = net.MaxBatchSize;
        float[] inputs = RandomInputs(dataSeed, rows, net.InputSize);
        int[] labels = RandomLabels(dataSeed + 1, rows, net);
        float[] targets = RandomTargets(dataSeed + 2, rows, net.OutputSize);
        Matrix<double> x = ToMatrix(inputs, net.InputSize);
        ReferenceMlp reference = ReferenceMlp.From(net);
        Matrix<double> targetMatrix = net is ITargetNetwork ? ToMatrix(targets, net.OutputSize) : reference.TargetsOf(labels);
        Matrix<double>?[]? masks = DropoutReplay.NextMasksIfAny(net, rows, out _);

        ReferenceMlp.Trace trace = reference.Forward(x, masks);
        Assert.Contains(0f, inputs);
        AssertBothSidesOfEveryKink(reference, trace);
        if (reference.Layers.Any(l => l.Activation == ReferenceActivation.Relu))
            Assert.True(DeadReluOutputs(reference, trace) > 0, "no ReLU output is 0: the masked backward path would go unchecked");

        if (net is ITargetNetwork targetNet) targetNet.ComputeGradients(inputs, targets);
        else net.ComputeGradients(inputs, labels);
        AssertMatchesCentralDifferences(net, reference, x, targetMatrix, masks);
    }

    /// <summary>
    /// Softplus is log(1 + e^z) up to 20 and z above it (PyTorch's threshold). Biases push some pre-activations of both
    /// softplus layers above 20 and leave others below; one output is pushed to about 800, where e^z overflows even a double,
    /// so without the threshold the output would be infinite.
    /// </summary>
    [Fact]
    public void Softplus_OnBothSidesOfItsThreshold_MatchesReferenceAndCentralDifferences()
    {
        var net = new SmoothNet(seed: 5);
        net.Fc2Bias[0] = 25f;
        net.Fc2Bias[1] = 23f;
        net.Fc3Bias[0] = 30f;
        float[] inputs = RandomInputs(1350, net.MaxBatchSize, SmoothNet.InputSize);
        int[] labels = RandomLabels(1351, net.MaxBatchSize, net);
        Matrix<double> x = ToMatrix(inputs, SmoothNet.InputSize);
        ReferenceMlp reference = ReferenceMlp.From(net);
        ReferenceMlp.Trace trace = reference.Forward(x);
        Assert.True(KinkMargin(reference, trace) > KinkMarginRequired, "a softplus pre-activation is too close to 20");
        foreach (int l in new[] { 1, 2 })
        {
            Assert.Contains(trace.Z[l].Enumerate(), z => z > ReferenceMlp.SoftplusThreshold);
            Assert.Contains(trace.Z[l].Enumerate(), z => z < ReferenceMlp.SoftplusThreshold);
        }

        AssertClose(reference.Logits(x), Forward(net, inputs), 1e-5, "logits");
        ReferenceMlp.Gradients expected = reference.Backward(x, labels);
        AssertClose(expected.Loss, net.ComputeGradients(inputs, labels), 1e-5, "loss");
        AssertGradients(expected, net, 1e-5);
        AssertMatchesCentralDifferences(net, reference, x, reference.TargetsOf(labels), null);

        net.Fc3Bias[1] = 800f;
        Matrix<float> logits = Forward(net, inputs);
        Assert.All(logits.Column(1).Enumerate(), v => Assert.InRange(v, 790f, 810f));
        AssertClose(ReferenceMlp.From(net).Logits(x), logits, 1e-5, "logits with a softplus input near 800");
    }

    /// <summary>Every parameter element: the network's gradient (already computed) and the reference's against the quotient.</summary>
    internal static void AssertMatchesCentralDifferences(ITestNetwork net, ReferenceMlp reference, Matrix<double> x, Matrix<double> targets, Matrix<double>?[]? masks)
    {
        double margin = KinkMargin(reference, reference.Forward(x, masks));
        Assert.True(margin > KinkMarginRequired, $"a pre-activation is within {margin:E2} of a kink; the difference quotient would straddle it");
        ReferenceMlp.Gradients analytic = reference.Backward(x, targets, masks);
        Func<double> loss = () => reference.LossOf(x, targets, masks);

        int count = 0;
        for (int l = 0; l < reference.Layers.Count; l++)
        {
            ReferenceMlp.Layer layer = reference.Layers[l];
            if (layer.Weight is not { } layerWeight) continue; // an activation layer has no parameters
            NamedTensor weight = Parameter(net, layer.Name + ".weight");
            Matrix<float> weightGradient = AsMatrix(weight, weight.Gradients!);
            for (int r = 0; r < layerWeight.RowCount; r++)
            {
                for (int c = 0; c < layerWeight.ColumnCount; c++)
                {
                    double numeric = CentralDifference(loss, () => layerWeight[r, c], v => layerWeight[r, c] = v);
                    AssertAgrees(numeric, weightGradient[r, c], analytic.Weight[l]![r, c], $"{weight.Name}[{r}, {c}]");
                    count++;
                }
            }
            if (layer.Bias is null) continue;
            NamedTensor bias = Parameter(net, layer.Name + ".bias");
            for (int r = 0; r < layer.Bias.Count; r++)
            {
                double numeric = CentralDifference(loss, () => layer.Bias[r], v => layer.Bias[r] = v);
                AssertAgrees(numeric, bias.Gradients![r], analytic.Bias[l]![r], $"{bias.Name}[{r}]");
                count++;
            }
        }
        Assert.Equal(net.ParameterCount, count);
    }

    private static double CentralDifference(Func<double> loss, Func<double> get, Action<double> set)
    {
        double original = get();
        set(original + H);
        double plus = loss();
        set(original - H);
        double minus = loss();
        set(original);
        return (plus - minus) / (2 * H);
    }

    /// <summary>
    /// 1e-3 relative, plus 1e-6 absolute for the O(H^2) truncation error of the quotient on elements near 0.
    /// The reference's own backward must agree too, or the comparison with it elsewhere would prove nothing.
    /// </summary>
    private static void AssertAgrees(double numeric, float generated, double analytic, string what)
    {
        double tolerance = 1e-3 * Math.Abs(numeric) + 1e-6;
        Assert.True(Math.Abs(generated - numeric) <= tolerance, $"{what}: generated gradient {generated:R}, central difference {numeric:R}");
        Assert.True(Math.Abs(analytic - numeric) <= tolerance, $"{what}: reference gradient {analytic:R}, central difference {numeric:R}");
    }
}
