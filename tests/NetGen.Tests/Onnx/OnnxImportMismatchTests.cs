using System;
using System.IO;
using System.Linq;
using Google.Protobuf;
using NetGen.Onnx.Protos;
using NetGen.Tests.EndToEnd;
using NetGen.Tests.Images;
using Xunit;

namespace NetGen.Tests.Onnx;

/// <summary>Files that are not the network's graph, or not ONNX at all: one line naming the file and the first node that differs.</summary>
public sealed class OnnxImportMismatchTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("netgen-onnx-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static ModelProto PyTorchMnist() => ModelProto.Parser.ParseFrom(File.ReadAllBytes(FixtureFile.PathOf("mnist.onnx")));

    private string Write(byte[] bytes)
    {
        string path = Path.Combine(_directory, "model.onnx");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string Write(ModelProto model) => Write(model.ToByteArray());

    /// <summary>Loads into a fresh mnist and returns the message, checking that nothing changed.</summary>
    private static string Refusal(string path, INetwork? network = null)
    {
        using INetwork net = network ?? new MnistNet(seed: 1);
        float[][] before = net.Parameters.Select(t => t.Values.ToArray()).ToArray();
        var e = Assert.Throws<ModelFormatException>(() => OnnxImport.Load(path, net));
        Assert.DoesNotContain('\n', e.Message);
        for (int i = 0; i < before.Length; i++) Assert.True(before[i].AsSpan().SequenceEqual(net.Parameters[i].Values));
        return e.Message;
    }

    [Fact]
    public void Another_networks_file_names_the_first_node_that_differs()
    {
        using var cnn = new MnistCnnNet(seed: 1);
        string path = Write(OnnxExport.ToBytes(cnn, null));
        Assert.Equal($"{path}: node 1 \"conv1/Conv\" (Conv) where layer fc1 (fc1 128 relu) needs Gemm or MatMul", Refusal(path));
    }

    [Fact]
    public void A_cnn_file_into_cnn_bn_names_the_conv_that_differs()
    {
        using var cnn = new MnistCnnNet(seed: 1);
        string path = Write(OnnxExport.ToBytes(cnn, null));
        Assert.Equal($"{path}: node 1 \"conv1/Conv\" (Conv) has weight [16, 1, 3, 3] where layer conv1 ({CnnBnNet.Architecture.Split("; ")[1]}) needs [8, 1, 3, 3]",
            Refusal(path, new CnnBnNet(seed: 1)));
    }

    [Fact]
    public void A_wrong_shape_names_the_node_and_the_layer()
    {
        ModelProto model = PyTorchMnist();
        TensorProto weight = model.Graph.Initializer.Single(t => t.Name == "fc2.weight");
        weight.Dims[0] = 32;
        weight.RawData = ByteString.CopyFrom(weight.RawData.Span[..(32 * 128 * 4)]);
        string path = Write(model);
        Assert.Equal($"{path}: node 3 \"/fc2/Gemm\" (Gemm) has weight [32, 128] where layer fc2 (fc2 64 relu) needs [64, 128]", Refusal(path));
    }

    [Fact]
    public void A_missing_initializer_is_named()
    {
        ModelProto model = PyTorchMnist();
        model.Graph.Initializer.Remove(model.Graph.Initializer.Single(t => t.Name == "fc3.bias"));
        string path = Write(model);
        Assert.Equal($"{path}: node 5 \"/fc3/Gemm\" (Gemm) takes bias \"fc3.bias\", which is neither an initializer nor a Constant", Refusal(path));
    }

    [Fact]
    public void A_missing_layer_names_the_node_in_its_place()
    {
        ModelProto model = PyTorchMnist();
        model.Graph.Node.RemoveAt(2); // /fc2/Gemm: Relu follows Relu
        model.Graph.Node[2].Input[0] = model.Graph.Node[1].Output[0];
        string path = Write(model);
        Assert.Equal($"{path}: node 3 \"/Relu_1\" (Relu) where layer fc2 (fc2 64 relu) needs Gemm or MatMul", Refusal(path));
    }

    [Fact]
    public void A_double_tensor_is_refused()
    {
        ModelProto model = PyTorchMnist();
        TensorProto bias = model.Graph.Initializer.Single(t => t.Name == "fc1.bias");
        bias.DataType = (int)TensorProto.Types.DataType.Double;
        string path = Write(model);
        Assert.Equal($"{path}: node 1 \"/fc1/Gemm\" (Gemm) has bias \"fc1.bias\" of type DOUBLE; only FLOAT tensors are read", Refusal(path));
    }

    [Fact]
    public void External_data_is_refused()
    {
        ModelProto model = PyTorchMnist();
        TensorProto weight = model.Graph.Initializer.Single(t => t.Name == "fc1.weight");
        weight.DataLocation = TensorProto.Types.DataLocation.External;
        weight.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "weights.bin" });
        weight.RawData = ByteString.Empty;
        string path = Write(model);
        Assert.Equal($"{path}: node 1 \"/fc1/Gemm\" (Gemm) takes weight \"fc1.weight\" from external data; only tensors inside the file are read", Refusal(path));
    }

    [Fact]
    public void Data_shorter_than_the_shape_is_refused_before_reading_it()
    {
        ModelProto model = PyTorchMnist();
        TensorProto weight = model.Graph.Initializer.Single(t => t.Name == "fc1.weight");
        weight.RawData = ByteString.CopyFrom(weight.RawData.Span[..100]);
        string path = Write(model);
        Assert.Equal($"{path}: node 1 \"/fc1/Gemm\" (Gemm): weight \"fc1.weight\" has 100 bytes of data where [128, 784] needs 401408", Refusal(path));
    }

    [Fact]
    public void A_truncated_file_is_not_an_onnx_file()
    {
        byte[] bytes = File.ReadAllBytes(FixtureFile.PathOf("mnist.onnx"));
        string path = Write(bytes[..(bytes.Length / 2)]);
        Assert.StartsWith($"{path}: not an ONNX file: ", Refusal(path));
    }

    [Fact]
    public void A_file_that_is_not_protobuf_or_empty_is_refused()
    {
        string path = Write("{\"not\": \"onnx\"}"u8.ToArray());
        Assert.StartsWith($"{path}: not an ONNX", Refusal(path));
        path = Write([]);
        Assert.Equal($"{path}: not an ONNX model: no graph (the file is empty)", Refusal(path));
        Assert.Equal($"{Path.Combine(_directory, "none.onnx")}: file not found", Refusal(Path.Combine(_directory, "none.onnx")));
    }

    [Fact]
    public void GELUs_erf_form_is_refused()
    {
        // smooth: a gelu layer; its exported tanh form replaced by PyTorch's default erf form: x * 0.5 * (1 + erf(x / sqrt 2)).
        using INetwork smooth = OnnxImportRoundTripTests.Create("smooth", seed: 1);
        Assert.Contains("gelu", smooth.Architecture);
        ModelProto model = ModelProto.Parser.ParseFrom(OnnxExport.ToBytes(smooth, null));
        int pow = Enumerable.Range(0, model.Graph.Node.Count).First(i => model.Graph.Node[i].OpType == "Pow");
        string x = model.Graph.Node[pow].Input[0];
        string output = model.Graph.Node[pow + 7].Output[0];
        for (int i = 0; i < 8; i++) model.Graph.Node.RemoveAt(pow);
        model.Graph.Initializer.Add(new TensorProto { Name = "sqrt2", DataType = 1, RawData = ByteString.CopyFrom(BitConverter.GetBytes(1.4142135f)) });
        NodeProto Node(string op, string name, string[] inputs, string result)
        {
            var n = new NodeProto { OpType = op, Name = name };
            n.Input.Add(inputs);
            n.Output.Add(result);
            return n;
        }
        model.Graph.Node.Insert(pow, Node("Div", "/act/Div", [x, "sqrt2"], "d"));
        model.Graph.Node.Insert(pow + 1, Node("Erf", "/act/Erf", ["d"], "e"));
        model.Graph.Node.Insert(pow + 2, Node("Add", "/act/Add", ["e", "gelu.one"], "a"));
        model.Graph.Node.Insert(pow + 3, Node("Mul", "/act/Mul", [x, "a"], "m"));
        model.Graph.Node.Insert(pow + 4, Node("Mul", "/act/Mul_1", ["m", "gelu.half"], output));
        string path = Write(model);
        string message = Refusal(path, OnnxImportRoundTripTests.Create("smooth", seed: 2));
        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(path)}: node {pow + 2} \"/act/Erf\" \\(Erf\\) computes GELU's erf form where layer .* needs its tanh form", message);
    }

    [Fact]
    public void A_leaky_relu_of_another_slope_is_refused()
    {
        using INetwork leaky = OnnxImportRoundTripTests.Create("leaky", seed: 1);
        ModelProto model = ModelProto.Parser.ParseFrom(OnnxExport.ToBytes(leaky, null));
        NodeProto node = model.Graph.Node.First(n => n.OpType == "LeakyRelu");
        node.Attribute.Single(a => a.Name == "alpha").F += 0.01f;
        string path = Write(model);
        Assert.Contains($"({node.Name.Split('/')[0]} ", Refusal(path, OnnxImportRoundTripTests.Create("leaky", seed: 2)));
    }

    [Fact]
    public void A_network_without_an_onnx_form_is_named()
    {
        using var fake = NetGen.Tests.ModelFiles.FakeBatchNormNetwork.Small();
        var e = Assert.Throws<ModelFormatException>(() => OnnxImport.Load(new MemoryStream(File.ReadAllBytes(FixtureFile.PathOf("mnist.onnx"))), fake));
        Assert.StartsWith("stream: network \"fakebn\" has no ONNX form: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_graph_that_fits_but_declares_another_input_shape_is_refused()
    {
        ModelProto model = PyTorchMnist();
        model.Graph.Input[0].Type.TensorType.Shape.Dim[1].DimValue = 785;
        string path = Write(model);
        Assert.Equal($"{path}: the graph's input \"input\" is [batch, 785] where network \"mnist\" needs [batch, 784]", Refusal(path));
    }
}
