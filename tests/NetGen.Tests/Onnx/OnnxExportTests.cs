using System;
using System.IO;
using System.Linq;
using NetGen.Onnx.Protos;
using NetGen.Tests.Data;
using NetGen.Tests.EndToEnd;
using NetGen.Tests.Images;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests.Onnx;

/// <summary>
/// What OnnxExport writes, read back with ONNX's own message definitions: the graph's operators, attributes, inputs and
/// outputs, the initializers (PyTorch's names and row-major values), the metadata. That the graph computes what the
/// network computes is OnnxRuntimeTests' part (ONNX Runtime runs the files); .ci/run has onnx.checker check them.
/// </summary>
public sealed class OnnxExportTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static ModelProto Export(INetwork network, DataSchema? data = null) => ModelProto.Parser.ParseFrom(OnnxExport.ToBytes(network, data));

    private static string[] Ops(ModelProto model) => model.Graph.Node.Select(n => n.OpType).ToArray();

    private static float[] Floats(TensorProto tensor) =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();

    [Fact]
    public void The_seeds_network_is_three_gemms_with_pytorch_names_and_a_symbolic_batch()
    {
        using var net = new MnistNet();
        ModelProto model = Export(net);
        Assert.Equal(8, model.IrVersion);
        Assert.Equal(17, model.OpsetImport.Single(o => o.Domain == "").Version);
        Assert.Equal("NetGen", model.ProducerName);
        Assert.Equal(["Gemm", "Relu", "Gemm", "Relu", "Gemm"], Ops(model));
        Assert.All(model.Graph.Node.Where(n => n.OpType == "Gemm"), n => Assert.Equal(1, n.Attribute.Single(a => a.Name == "transB").I));

        ValueInfoProto input = model.Graph.Input.Single();
        Assert.Equal("input", input.Name);
        var dims = input.Type.TensorType.Shape.Dim;
        Assert.Equal("batch", dims[0].DimParam);
        Assert.Equal(784, dims[1].DimValue);
        ValueInfoProto output = model.Graph.Output.Single();
        Assert.Equal("logits", output.Name);
        Assert.Equal("logits", model.Graph.Node.Last().Output.Single());
        Assert.Equal(10, output.Type.TensorType.Shape.Dim[1].DimValue);

        Assert.Equal(["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"], model.Graph.Initializer.Select(i => i.Name));
        foreach (TensorProto init in model.Graph.Initializer)
        {
            NamedTensor tensor = net.Parameters.Single(p => p.Name == init.Name);
            Assert.Equal(tensor.Shape.Select(d => (long)d), init.Dims);
            Assert.Equal((int)TensorProto.Types.DataType.Float, init.DataType);
            // A matrix's [row, column] indexer reads the network's own layout, whatever it is.
            float[] values = Floats(init);
            if (tensor.Shape.Length == 2)
            {
                for (int r = 0; r < tensor.Shape[0]; r++)
                    for (int c = 0; c < tensor.Shape[1]; c++) Assert.Equal(tensor[r, c], values[r * tensor.Shape[1] + c]);
            }
            else Assert.Equal(tensor.Values, values);
        }

        var metadata = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("mnist", metadata["netgen.network"]);
        Assert.Equal(MnistNet.SpecHash, metadata["netgen.spec_hash"]);
        Assert.Equal(MnistNet.Architecture, metadata["netgen.architecture"]);
        Assert.StartsWith("0.1.0", metadata["netgen.version"]);
    }

    [Fact]
    public void A_convolutional_network_flattens_before_its_first_dense_layer_and_keeps_pytorchs_weight_order()
    {
        using var net = new MnistCnnNet();
        ModelProto model = Export(net);
        Assert.Equal(["Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool", "Flatten", "Gemm", "Relu", "Gemm"], Ops(model));
        NodeProto conv = model.Graph.Node[0];
        Assert.Equal([3L, 3], conv.Attribute.Single(a => a.Name == "kernel_shape").Ints);
        Assert.Equal([1L, 1, 1, 1], conv.Attribute.Single(a => a.Name == "pads").Ints);
        Assert.Equal([1L, 1], conv.Attribute.Single(a => a.Name == "strides").Ints);
        Assert.Equal([2L, 2], model.Graph.Node[2].Attribute.Single(a => a.Name == "strides").Ints);
        Assert.Equal(1, model.Graph.Node[6].Attribute.Single(a => a.Name == "axis").I);
        Assert.Equal(new long[] { 1, 28, 28 }, model.Graph.Input[0].Type.TensorType.Shape.Dim.Skip(1).Select(d => d.DimValue));

        // The conv weight lies [kh, kw, in, out] in the network, [out, in, kh, kw] in the file.
        foreach (TensorProto init in model.Graph.Initializer)
        {
            NamedTensor tensor = net.Parameters.Single(p => p.Name == init.Name);
            float[] values = Floats(init);
            Assert.Equal(tensor.Values.Length, values.Length);
            for (int position = 0; position < values.Length; position++) Assert.Equal(tensor.Values[tensor.Layout.IndexOf(position)], values[position]);
        }
        Assert.False(net.Parameters.Single(p => p.Name == "conv1.weight").Layout.IsRowMajor, "the test wants a permuted layout");
    }

    [Fact]
    public void Batch_norm_exports_in_evaluation_form_with_its_running_statistics()
    {
        using var net = new BnConvNet();
        ModelProto model = Export(net);
        NodeProto[] norms = model.Graph.Node.Where(n => n.OpType == "BatchNormalization").ToArray();
        Assert.Equal(2, norms.Length);
        Assert.Equal(["bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var"], norms[0].Input.Skip(1));
        Assert.Equal(1e-5f, norms[0].Attribute.Single(a => a.Name == "epsilon").F);
        Assert.Single(norms[0].Output); // evaluation form: no running statistics out
        Assert.Equal(["Conv", "BatchNormalization", "Relu", "MaxPool", "Conv", "BatchNormalization", "Tanh", "Flatten", "Gemm"], Ops(model));
        NodeProto[] convs = model.Graph.Node.Where(n => n.OpType == "Conv").ToArray();
        Assert.Equal(3, convs[0].Input.Count); // x, weight, bias
        Assert.Equal(2, convs[1].Input.Count); // "bias": false
    }

    [Fact]
    public void Dropout_is_left_out_and_activation_layers_become_their_operators()
    {
        using var dropout = new DropoutNet();
        Assert.Equal(["Gemm", "Relu", "Gemm", "LeakyRelu", "Gemm", "Tanh", "Gemm"], Ops(Export(dropout)));
        Assert.Equal(0.1f, Export(dropout).Graph.Node[3].Attribute.Single(a => a.Name == "alpha").F);

        using var leaky = new LeakyNet();
        Assert.Equal(0.01f, Export(leaky).Graph.Node.Where(n => n.OpType == "LeakyRelu").ElementAt(1).Attribute.Single().F);
        using var nobias = new NoBiasNet();
        Assert.Equal([2, 3, 2], Export(nobias).Graph.Node.Where(n => n.OpType == "Gemm").Select(n => n.Input.Count));
    }

    [Fact]
    public void Gelu_is_its_tanh_form_in_elementary_operators()
    {
        using var net = new SmoothNet();
        ModelProto model = Export(net);
        Assert.Equal(["Gemm", "Pow", "Mul", "Add", "Mul", "Tanh", "Add", "Mul", "Mul", "Gemm", "Softplus", "Gemm", "Softplus"], Ops(model));
        float Constant(string name) => Floats(model.Graph.Initializer.Single(i => i.Name == name)).Single();
        Assert.Equal(3f, Constant("gelu.three"));
        Assert.Equal(0.044715f, Constant("gelu.cubic"));
        Assert.Equal((float)Math.Sqrt(2 / Math.PI), Constant("gelu.scale"));
        Assert.Equal(1f, Constant("gelu.one"));
        Assert.Equal(0.5f, Constant("gelu.half"));
    }

    [Fact]
    public void A_schemas_standardization_comes_first_so_the_file_takes_raw_rows()
    {
        using var net = new MnistNet();
        var mean = Enumerable.Range(0, 784).Select(i => i * 0.5f).ToArray();
        var scale = Enumerable.Range(0, 784).Select(i => 1f + i).ToArray();
        ModelProto model = Export(net, new DataSchema { Standardization = new Standardization(mean, scale) });
        Assert.Equal(["Sub", "Div", "Gemm"], Ops(model).Take(3));
        Assert.Equal(["input", "input.mean"], model.Graph.Node[0].Input);
        Assert.Equal(mean, Floats(model.Graph.Initializer.Single(i => i.Name == "input.mean")));
        Assert.Equal(scale, Floats(model.Graph.Initializer.Single(i => i.Name == "input.scale")));
        Assert.Equal(["Gemm"], Ops(Export(net, new DataSchema { ClassNames = ["a", "b"] })).Take(1));

        var wrong = new DataSchema { Standardization = new Standardization([0f], [1f]) };
        Assert.Throws<ArgumentException>(() => OnnxExport.Save(_folder.File("x.onnx"), net, wrong));
    }

    [Fact]
    public void A_file_holds_the_same_bytes_as_the_stream_and_a_nan_weight_writes_nothing()
    {
        using var net = new MnistNet();
        string path = _folder.File("mnist.onnx");
        OnnxExport.Save(path, net);
        using var stream = new MemoryStream();
        OnnxExport.Save(stream, net);
        Assert.Equal(stream.ToArray(), File.ReadAllBytes(path));
        Assert.Equal(File.ReadAllBytes(path), OnnxExport.ToBytes(net, null)); // deterministic

        NamedTensor fc2 = net.Parameters.Single(p => p.Name == "fc2.weight");
        fc2.Values[5] = float.NaN;
        string bad = _folder.File("bad.onnx");
        var ex = Assert.Throws<ModelFormatException>(() => OnnxExport.Save(bad, net));
        Assert.Contains("fc2.weight", ex.Message);
        Assert.StartsWith($"{bad}: not exported: tensor fc2.weight holds NaN at ", ex.Message); // the model file's words
        Assert.False(File.Exists(bad));
        Assert.Equal([path], Directory.GetFiles(_folder.Path));
    }
}
