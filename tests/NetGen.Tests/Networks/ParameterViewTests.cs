using System.Linq;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Single;
using Xunit;
using static NetGen.Tests.Networks.NetworkTestKit;

namespace NetGen.Tests.Networks;

/// <summary>The weight layout contract: MathNet views and named tensors in PyTorch's [out, in] orientation, over the network's own arrays.</summary>
public sealed class ParameterViewTests
{
    private const double Tolerance = 1e-5;

    [Fact]
    public void WritingThroughTheWeightView_ChangesForwardAsTheReferencePredicts()
    {
        var net = new TinyNet(seed: 4);
        float[] inputs = RandomInputs(700, 6, TinyNet.InputSize, zeroFraction: 0);
        ReferenceMlp reference = ReferenceMlp.From(net);
        Matrix<float> before = Forward(net, inputs);

        // [6, 4] exists only in the [out = 7, in = 5] orientation: output unit 6 gets a large weight from input 4.
        net.Fc1Weight[6, 4] = 3f;
        reference.Layers[0].Weight![6, 4] = 3.0;
        net.Fc2Bias[3] = -0.75f;
        reference.Layers[1].Bias![3] = -0.75;
        net.Fc3Weight[2, 0] = 1.5f;
        reference.Layers[2].Weight![2, 0] = 1.5;

        Matrix<float> after = Forward(net, inputs);
        Assert.True((after - before).Enumerate().Max(System.Math.Abs) > 1e-2, "the writes did not change the logits");
        AssertClose(reference.Logits(ToMatrix(inputs, TinyNet.InputSize)), after, Tolerance, "logits after writing through the views");
    }

    [Fact]
    public void WritingThroughNamedTensorValues_ReachesTheViewsAndForward()
    {
        var net = new TinyNet(seed: 4);
        float[] inputs = RandomInputs(701, 6, TinyNet.InputSize, zeroFraction: 0);
        NamedTensor weight = Parameter(net, "fc1.weight");
        weight.Values[4 * 7 + 6] = 3f; // [6, 4] at column * out + row
        Assert.Equal(3f, net.Fc1Weight[6, 4]);
        Assert.Equal(3f, weight[6, 4]);
        Parameter(net, "fc3.bias").Values[1] = 2f;
        Assert.Equal(2f, net.Fc3Bias[1]);
        AssertClose(ReferenceMlp.From(net).Logits(ToMatrix(inputs, TinyNet.InputSize)), Forward(net, inputs), Tolerance, "logits after writing the arrays");
    }

    [Theory]
    [InlineData("tiny")]
    [InlineData("mixed")]
    [InlineData("odd")]
    [InlineData("digits")]
    [MemberData(nameof(FeatureNetworkNames), MemberType = typeof(NetworkTestKit))]
    public void NamedTensors_HavePyTorchNamesShapesAndColumnMajorLayout(string name)
    {
        ITestNetwork net = Create(name, seed: 5);
        // A layer without bias has no bias tensor; the optimizer keeps exactly PyTorch's state (none for plain SGD).
        // Activation layers have no tensors.
        LayerView[] dense = net.Layers.Where(l => l.Weight is not null).ToArray();
        var expectedNames = dense.SelectMany(l => l.Bias is null ? new[] { l.Name + ".weight" } : new[] { l.Name + ".weight", l.Name + ".bias" }).ToArray();
        Assert.Equal(expectedNames, net.Parameters.Select(p => p.Name));
        Assert.Equal(
            expectedNames.SelectMany(n => net.Optimizer.StateNames.Select(s => n + "." + s)),
            net.OptimizerState.Select(s => s.Name));
        Assert.Equal(net.ParameterCount, net.Parameters.Sum(p => p.Values.Length));
        Assert.Equal(net.InputSize, dense[0].Weight!.ColumnCount); // activation layers keep the width
        Assert.Equal(net.OutputSize, dense[^1].Weight!.RowCount);

        foreach (LayerView layer in dense)
        {
            NamedTensor weight = Parameter(net, layer.Name + ".weight");
            int rows = layer.Weight!.RowCount, columns = layer.Weight.ColumnCount;
            Assert.Equal(new[] { rows, columns }, weight.Shape);
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < columns; c++)
                {
                    Assert.Equal(layer.Weight[r, c], weight.Values[c * rows + r]);
                    Assert.Equal(layer.Weight[r, c], weight[r, c]);
                }
            }

            // Zero-copy: the MathNet views and the named tensors share one array per parameter.
            Assert.Same(weight.Values, ((DenseMatrix)layer.Weight).Values);
            Assert.NotNull(weight.Gradients);
            Assert.Equal(weight.Values.Length, weight.Gradients!.Length);
            foreach (string suffix in net.Optimizer.StateNames)
            {
                NamedTensor state = State(net, weight.Name + "." + suffix);
                Assert.Equal(weight.Shape, state.Shape);
                Assert.Null(state.Gradients);
            }

            if (layer.Bias is null) continue;
            NamedTensor bias = Parameter(net, layer.Name + ".bias");
            Assert.Equal(new[] { rows }, bias.Shape);
            Assert.Equal(rows, layer.Bias.Count);
            for (int r = 0; r < rows; r++) Assert.Equal(layer.Bias[r], bias.Values[r]);
            Assert.Same(bias.Values, ((DenseVector)layer.Bias).Values);
            foreach (string suffix in net.Optimizer.StateNames) Assert.Equal(bias.Shape, State(net, bias.Name + "." + suffix).Shape);
        }
    }

    [Fact]
    public void TrainStep_UpdatesTheArraysTheViewsShow()
    {
        var net = new TinyNet(seed: 4);
        Matrix<float> before = net.Fc2Weight.Clone();
        net.TrainStep(RandomInputs(702, 3, TinyNet.InputSize), new[] { 0, 1, 2 });
        Assert.NotEqual(before, net.Fc2Weight);
        NamedTensor weight = Parameter(net, "fc2.weight");
        Assert.Equal(AsMatrix(weight, weight.Values), net.Fc2Weight);
    }
}
