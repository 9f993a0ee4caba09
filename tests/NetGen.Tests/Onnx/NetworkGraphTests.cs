using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Onnx;
using Xunit;

namespace NetGen.Tests.Onnx;

/// <summary>
/// NetworkGraph reads every generated network's Architecture back into layers whose shapes agree with the network itself:
/// the input and output sizes, and the shape of every tensor the network has (a dense layer's [units, inputs] checks the
/// conv and pool arithmetic before it). Every parameter and buffer belongs to exactly one layer.
/// </summary>
public sealed class NetworkGraphTests
{
    public static TheoryData<string> Networks() => AllNetworks.Names();

    [Fact]
    public void The_test_assembly_has_networks_of_every_layer_kind()
    {
        var kinds = new HashSet<LayerKind>();
        foreach (Type t in AllNetworks.Types)
        {
            using INetwork net = AllNetworks.Create(t);
            foreach (GraphLayer layer in NetworkGraph.Of(net).Layers) kinds.Add(layer.Kind);
        }
        Assert.Equal(Enum.GetValues<LayerKind>().OrderBy(k => k), kinds.OrderBy(k => k));
        Assert.True(AllNetworks.Types.Length > 40, $"only {AllNetworks.Types.Length} network classes found");
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Layers_agree_with_the_networks_sizes_and_tensors(string type)
    {
        using INetwork net = AllNetworks.Create(type);
        NetworkGraph graph = NetworkGraph.Of(net);
        Assert.Equal(net.InputSize, GraphLayer.Size(graph.Input));
        Assert.Equal(net.OutputSize, GraphLayer.Size(graph.Output));

        var tensors = net.Parameters.Concat(net.Buffers).ToDictionary(t => t.Name, t => t.Shape);
        var claimed = new List<string>();
        void Expect(string name, params int[] shape)
        {
            Assert.True(tensors.TryGetValue(name, out int[]? actual), $"{net.NetworkName}: no tensor {name}");
            Assert.Equal(shape, actual);
            claimed.Add(name);
        }
        for (int i = 0; i < graph.Layers.Count; i++)
        {
            GraphLayer layer = graph.Layers[i];
            if (i > 0) Assert.Equal(graph.Layers[i - 1].Output, layer.Input);
            switch (layer.Kind)
            {
                case LayerKind.Dense:
                    Expect(layer.Name + ".weight", layer.Units, layer.InputSize);
                    if (layer.HasBias) Expect(layer.Name + ".bias", layer.Units);
                    break;
                case LayerKind.Conv2d:
                    Expect(layer.Name + ".weight", layer.Units, layer.Input[0], layer.KernelHeight, layer.KernelWidth);
                    if (layer.HasBias) Expect(layer.Name + ".bias", layer.Units);
                    break;
                case LayerKind.BatchNorm:
                    foreach (string part in new[] { "weight", "bias", "running_mean", "running_var" }) Expect($"{layer.Name}.{part}", layer.Input[0]);
                    break;
                default:
                    Assert.Null(layer.Name);
                    Assert.Equal(layer.Kind is LayerKind.MaxPool2d or LayerKind.AvgPool2d ? layer.Input[0] : GraphLayer.Size(layer.Input),
                        layer.Kind is LayerKind.MaxPool2d or LayerKind.AvgPool2d ? layer.Output[0] : GraphLayer.Size(layer.Output));
                    break;
            }
        }
        Assert.Equal(tensors.Keys.OrderBy(k => k, StringComparer.Ordinal), claimed.OrderBy(k => k, StringComparer.Ordinal));
    }

    [Fact]
    public void A_convolution_and_a_pool_read_back_with_their_options()
    {
        NetworkGraph graph = NetworkGraph.Parse(
            "input 3x7x6; conv1 conv2d 5 kernel 2x3 stride 2x1 padding 0,1,1,2 leaky_relu 0.1 no-bias; avg_pool2d 2x1 stride 1x1; fc1 4 gelu; loss mse; optimizer sgd");
        Assert.Equal([3, 7, 6], graph.Input);
        GraphLayer conv = graph.Layers[0];
        Assert.Equal((LayerKind.Conv2d, "conv1", false), (conv.Kind, conv.Name, conv.HasBias));
        Assert.Equal((2, 3, 2, 1), (conv.KernelHeight, conv.KernelWidth, conv.StrideHeight, conv.StrideWidth));
        Assert.Equal((0, 1, 1, 2), (conv.PadTop, conv.PadLeft, conv.PadBottom, conv.PadRight));
        Assert.Equal(new ActivationKind("leaky_relu", 0.1f), conv.Activation);
        // (7 + 0 + 1 - 2) / 2 + 1 = 4 rows, (6 + 1 + 2 - 3) / 1 + 1 = 7 columns.
        Assert.Equal([5, 4, 7], conv.Output);
        Assert.Equal([5, 3, 7], graph.Layers[1].Output);
        Assert.Equal([4], graph.Output);
        Assert.Equal("gelu", graph.Layers[2].Activation.Word);
        Assert.Equal("mse", graph.Loss);
    }

    [Theory]
    [InlineData("fc1 784 relu; loss cross_entropy")]
    [InlineData("input 784; fc1 128 swish; loss cross_entropy")]
    [InlineData("input 784; fc1 128 relu with-bias")]
    [InlineData("input 784; attn1 multi_head 8")]
    [InlineData("input 784; conv1 conv2d 4 kernel 3x3 stride 1x1 padding 1 relu")]
    [InlineData("input 1x8x8; max_pool2d 2 stride 2")]
    public void A_part_it_does_not_know_is_refused_by_name(string architecture)
    {
        var ex = Assert.Throws<FormatException>(() => NetworkGraph.Parse(architecture));
        Assert.DoesNotContain('\n', ex.Message);
    }
}
