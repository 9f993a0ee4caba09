using System;
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

    /// <summary>Smallest |z| allowed at a ReLU: perturbations of H move no pre-activation across the kink.</summary>
    private const double KinkMargin = 1e-2;

    /// <summary>Seeds chosen so that the batch keeps <see cref="KinkMargin"/> from every kink, has zero inputs and dead ReLUs.</summary>
    [Theory]
    [InlineData("tiny", 22, 1022)]
    [InlineData("tiny", 19, 1019)]
    [InlineData("mixed", 1, 1001)]
    public void EveryGradientElement_MatchesCentralDifferences(string name, int seed, int dataSeed)
    {
        ITestNetwork net = Create(name, seed);
        float[] inputs = RandomInputs(dataSeed, net.MaxBatchSize, net.InputSize);
        int[] labels = RandomLabels(dataSeed + 1, net.MaxBatchSize, net.OutputSize);
        Matrix<double> x = ToMatrix(inputs, net.InputSize);
        ReferenceMlp reference = ReferenceMlp.From(net);

        ReferenceMlp.Trace trace = reference.Forward(x);
        double margin = ReluMargin(reference, trace);
        Assert.True(margin > KinkMargin, $"a ReLU pre-activation is within {margin:E2} of 0; the difference quotient would straddle the kink");
        Assert.Contains(0f, inputs);
        Assert.True(DeadReluOutputs(reference, trace) > 0, "no ReLU output is 0: the masked backward path would go unchecked");

        net.ComputeGradients(inputs, labels);
        ReferenceMlp.Gradients analytic = reference.Backward(x, labels);

        int count = 0;
        for (int l = 0; l < reference.Layers.Count; l++)
        {
            ReferenceMlp.Layer layer = reference.Layers[l];
            NamedTensor weight = Parameter(net, layer.Name + ".weight"), bias = Parameter(net, layer.Name + ".bias");
            Matrix<float> weightGradient = AsMatrix(weight, weight.Gradients!);
            for (int r = 0; r < layer.Weight.RowCount; r++)
            {
                for (int c = 0; c < layer.Weight.ColumnCount; c++)
                {
                    double numeric = CentralDifference(reference, x, labels, () => layer.Weight[r, c], v => layer.Weight[r, c] = v);
                    AssertAgrees(numeric, weightGradient[r, c], analytic.Weight[l][r, c], $"{weight.Name}[{r}, {c}]");
                    count++;
                }
            }
            for (int r = 0; r < layer.Bias.Count; r++)
            {
                double numeric = CentralDifference(reference, x, labels, () => layer.Bias[r], v => layer.Bias[r] = v);
                AssertAgrees(numeric, bias.Gradients![r], analytic.Bias[l][r], $"{bias.Name}[{r}]");
                count++;
            }
        }
        Assert.Equal(net.ParameterCount, count);
    }

    private static double CentralDifference(ReferenceMlp reference, Matrix<double> x, int[] labels, Func<double> get, Action<double> set)
    {
        double original = get();
        set(original + H);
        double plus = reference.Loss(x, labels);
        set(original - H);
        double minus = reference.Loss(x, labels);
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
