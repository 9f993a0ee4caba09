using System;
using System.IO;
using System.Linq;
using Google.Protobuf;
using NetGen.Onnx.Protos;
using NetGen.Tests.EndToEnd;
using NetGen.Tests.Images;
using Xunit;

namespace NetGen.Tests.Onnx;

/// <summary>The other ways a file may hold the same graph: Gemm with transB=0, float_data, Reshape instead of Flatten, Constant nodes.</summary>
public sealed class OnnxImportFormsTests
{
    private static ModelProto Fixture(string name) => ModelProto.Parser.ParseFrom(File.ReadAllBytes(FixtureFile.PathOf(name)));

    private static float[][] Load(ModelProto model, INetwork network)
    {
        OnnxImport.Load(new MemoryStream(model.ToByteArray()), network);
        return network.Parameters.Concat(network.Buffers).Select(t => t.Values.ToArray()).ToArray();
    }

    private static string Refusal(ModelProto model, INetwork network)
    {
        var e = Assert.Throws<ModelFormatException>(() => OnnxImport.Load(new MemoryStream(model.ToByteArray()), network));
        return e.Message;
    }

    [Fact]
    public void Gemm_with_transB_0_and_float_data_and_a_Constant_node_give_the_same_weights()
    {
        using var a = new MnistNet(seed: 1);
        using var b = new MnistNet(seed: 2);
        ModelProto model = Fixture("mnist.onnx");
        float[][] expected = Load(model, a);

        // fc1: weight [in, out] in float_data, transB=0; fc2's bias from a Constant node in front.
        TensorProto weight = model.Graph.Initializer.Single(t => t.Name == "fc1.weight");
        float[] w = new float[128 * 784];
        Buffer.BlockCopy(weight.RawData.ToByteArray(), 0, w, 0, w.Length * 4);
        var transposed = new float[w.Length];
        for (int o = 0; o < 128; o++) for (int i = 0; i < 784; i++) transposed[i * 128 + o] = w[o * 784 + i];
        weight.Dims.Clear();
        weight.Dims.Add([784, 128]);
        weight.RawData = ByteString.Empty;
        weight.FloatData.Add(transposed);
        model.Graph.Node[0].Attribute.Single(x => x.Name == "transB").I = 0;
        TensorProto bias = model.Graph.Initializer.Single(t => t.Name == "fc2.bias");
        model.Graph.Initializer.Remove(bias);
        var constant = new NodeProto { OpType = "Constant", Name = "/Constant" };
        constant.Output.Add("fc2.bias");
        constant.Attribute.Add(new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = bias });
        model.Graph.Node.Insert(0, constant);

        float[][] actual = Load(model, b);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(expected[i].AsSpan().SequenceEqual(actual[i]), ((INetwork)b).Parameters.Concat(((INetwork)b).Buffers).ElementAt(i).Name);
    }

    [Fact]
    public void A_Reshape_that_flattens_is_accepted_and_one_that_does_not_is_refused()
    {
        ModelProto model = Fixture("cnn_bn.onnx");
        int flatten = Enumerable.Range(0, model.Graph.Node.Count).Single(i => model.Graph.Node[i].OpType == "Flatten");
        NodeProto node = model.Graph.Node[flatten];
        node.OpType = "Reshape";
        node.Name = "/Reshape";
        node.Attribute.Clear();
        node.Input.Add("shape");
        var shape = new TensorProto { Name = "shape", DataType = (int)TensorProto.Types.DataType.Int64 };
        shape.Dims.Add(2);
        shape.Int64Data.Add([-1, 144]);
        model.Graph.Initializer.Add(shape);
        using var a = new CnnBnNet(seed: 1);
        using var b = new CnnBnNet(seed: 1);
        float[][] reshaped = Load(model, a);
        float[][] flattened = Load(Fixture("cnn_bn.onnx"), b);
        for (int i = 0; i < reshaped.Length; i++) Assert.True(reshaped[i].AsSpan().SequenceEqual(flattened[i]));

        shape.Int64Data[0] = 144;
        shape.Int64Data[1] = -1;
        Assert.Equal($"stream: node {flatten + 1} \"/Reshape\" (Reshape) reshapes to [144, -1] where layer fc1 ({CnnBnNet.Architecture.Split("; ").First(p => p.StartsWith("fc1 ", StringComparison.Ordinal))}) needs the rows flattened to [batch, 144]",
            Refusal(model, a));
    }

    [Fact]
    public void A_batch_norm_of_another_epsilon_is_refused()
    {
        ModelProto model = Fixture("cnn_bn.onnx");
        NodeProto bn = model.Graph.Node.Single(n => n.OpType == "BatchNormalization");
        bn.Attribute.Single(a => a.Name == "epsilon").F = 1e-3f;
        using var net = new CnnBnNet(seed: 1);
        Assert.Equal("stream: node 11 \"/bn3/BatchNormalization\" (BatchNormalization) has epsilon 0.001 where layer bn3 (bn3 batch_norm) needs 1e-05", Refusal(model, net));
    }

    /// <summary>PyTorch writes equal initializers once (a fresh batch norm's weight and running_var, all ones) and the copies as Identity nodes of it.</summary>
    [Fact]
    public void An_Identity_node_of_an_initializer_is_that_initializer()
    {
        ModelProto model = Fixture("cnn_bn.onnx");
        NodeProto bn = model.Graph.Node.Single(n => n.OpType == "BatchNormalization");
        model.Graph.Initializer.Remove(model.Graph.Initializer.Single(t => t.Name == bn.Input[4]));
        var identity = new NodeProto { OpType = "Identity", Name = "Identity_0" };
        identity.Input.Add("bn3.weight");
        identity.Output.Add(bn.Input[4]);
        model.Graph.Node.Insert(0, identity);
        using var net = new CnnBnNet(seed: 1);
        Load(model, net);
        INetwork n = net;
        Assert.Equal(n.Parameters.Single(t => t.Name == "bn3.weight").Values, n.Buffers.Single(t => t.Name == "bn3.running_var").Values);
    }
}
