using System;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

using NetGen.Cli;

namespace NetGen.Mnist.Tests;

/// <summary>export --weights-only: the PyTorch module's state_dict of a trained model, in PyTorch's names and shapes.</summary>
public sealed class ExportTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Weights_only_holds_the_state_dict_of_nn_Sequential_style_names_and_evaluates_as_the_checkpoint()
    {
        string model = _temp.File("m.safetensors"), weights = _temp.File("w.safetensors");
        Assert.Equal(0, App.Run(output, "train", "--data", SmallMnist.Directory, "--epochs", "1", "--save", model).ExitCode);
        RunResult export = App.Run(output, "export", "--load", model, "--weights-only", weights);
        Assert.Equal(0, export.ExitCode);
        Assert.StartsWith($"Wrote {weights}: the state_dict of \"mnist\" (6 tensors: fc1.weight, fc1.bias, fc2.weight, fc2.bias, ...)", export.LastLine);

        var (tensors, metadata) = SafeTensors.Read(weights);
        // What torch.nn.Linear layers named fc1..fc3 give: weight [out, in], bias [out].
        Assert.Equal(new[] { "fc1.bias", "fc1.weight", "fc2.bias", "fc2.weight", "fc3.bias", "fc3.weight" }, tensors.Keys.Order());
        Assert.Equal(new[] { 128, 784 }, tensors["fc1.weight"].Shape);
        Assert.Equal(new[] { 10 }, tensors["fc3.bias"].Shape);
        Assert.DoesNotContain("optimizer_step", metadata.Keys);

        RunResult fromCheckpoint = App.Run(output, "eval", "--load", model, "--data", SmallMnist.Directory);
        RunResult fromWeights = App.Run(output, "eval", "--load", weights, "--data", SmallMnist.Directory);
        Assert.Equal(fromCheckpoint.LastLine, fromWeights.LastLine);

        RunResult missing = App.Run("export", "--load", model);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("export needs --onnx FILE or --weights-only FILE", missing.Error);
    }

    /// <summary>
    /// --onnx (with --weights-only in the same run) writes an ONNX file: protobuf whose first field is ir_version 8
    /// (tag 0x08, value 8) and which names the network; the runtime's tests check its contents and ONNX Runtime runs it.
    /// </summary>
    [Fact]
    public void Onnx_writes_the_model_beside_a_weights_only_file()
    {
        string model = _temp.File("m.safetensors"), onnx = _temp.File("m.onnx"), weights = _temp.File("w.safetensors");
        Assert.Equal(0, App.Run(output, "train", "--data", SmallMnist.Directory, "--epochs", "1", "--train-images", "64", "--save", model).ExitCode);
        RunResult export = App.Run(output, "export", "--load", model, "--onnx", onnx, "--weights-only", weights);
        Assert.Equal(0, export.ExitCode);
        Assert.Contains($"Wrote {onnx}: \"mnist\" as an ONNX model (opset 17, input \"input\" [batch, 784], output \"logits\" [batch, 10]).", export.Out);
        Assert.StartsWith($"Wrote {weights}: the state_dict", export.LastLine);
        byte[] bytes = System.IO.File.ReadAllBytes(onnx);
        Assert.Equal(new byte[] { 0x08, 8 }, bytes[..2]);
        Assert.True(bytes.AsSpan().IndexOf("netgen.network"u8) > 0, "no netgen.network metadata");

        RunResult same = App.Run("export", "--load", model, "--onnx", model);
        Assert.Equal(1, same.ExitCode);
        Assert.Contains("--onnx", same.Error);
    }
}
