using System;
using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

using NetGen.Cli;

namespace NetGen.Mnist.Tests;

/// <summary>
/// eval and predict --load FILE.onnx: an ONNX file (by its name) is read with OnnxImport. NetGen's own export names its
/// network; torch.onnx.export's file (tests/NetGen.Tests/Fixtures/pytorch/mnist.onnx, make_onnx.py, where PyTorch counted
/// 191 of the first 200 test images right) needs --net.
/// </summary>
public sealed class OnnxLoadTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Export_onnx_then_eval_and_predict_of_the_onnx_file_give_what_the_safetensors_file_gives()
    {
        string model = _temp.File("m.safetensors"), onnx = _temp.File("m.onnx");
        Assert.Equal(0, App.Run(output, "train", "--data", SmallMnist.Directory, "--epochs", "1", "--save", model).ExitCode);
        Assert.Equal(0, App.Run(output, "export", "--load", model, "--onnx", onnx).ExitCode);

        RunResult fromModel = App.Run(output, "eval", "--load", model, "--data", SmallMnist.Directory);
        RunResult fromOnnx = App.Run(output, "eval", "--load", onnx, "--data", SmallMnist.Directory);
        Assert.True(fromOnnx.ExitCode == 0, fromOnnx.ToString());
        Assert.Equal("", fromOnnx.Error);
        Assert.Equal($"Evaluating \"mnist\" from {onnx} (an ONNX file NetGen exported) on 200 test images", fromOnnx.OutLines[0]);
        Assert.Matches(@"^Test accuracy: [0-9.]+% \([0-9]+/200\)$", fromOnnx.LastLine);
        Assert.Equal(fromModel.LastLine, fromOnnx.LastLine);

        string image = _temp.File("digit.pgm");
        SmallMnist.WritePgm(image, 0);
        RunResult predictModel = App.Run(output, "predict", "--load", model, image);
        RunResult predictOnnx = App.Run(output, "predict", "--load", onnx, image);
        Assert.True(predictOnnx.ExitCode == 0, predictOnnx.ToString());
        Assert.Equal(predictModel.Out, predictOnnx.Out);
    }

    [Fact]
    public void PyTorchs_onnx_file_evaluates_with_net_and_needs_it()
    {
        string model = Path.Combine(AppContext.BaseDirectory, "Fixtures", "pytorch", "mnist.onnx");
        Assert.True(File.Exists(model), $"{model} is missing: the test project copies it from tests/NetGen.Tests/Fixtures/pytorch");
        RunResult eval = App.Run(output, "eval", "--net", "mnist", "--load", model, "--data", SmallMnist.Directory);
        Assert.True(eval.ExitCode == 0, eval.ToString());
        Assert.Equal($"Evaluating \"mnist\" from {model} (an ONNX file without NetGen's metadata, e.g. from torch.onnx.export) on 200 test images", eval.OutLines[0]);
        Assert.Equal("Test accuracy: 95.50% (191/200)", eval.LastLine);

        // export reads it as eval does: PyTorch's ONNX file to a state_dict that evaluates the same.
        string weights = _temp.File("from-onnx.safetensors");
        Assert.Equal(0, App.Run(output, "export", "--net", "mnist", "--load", model, "--weights-only", weights).ExitCode);
        Assert.Equal(eval.LastLine, App.Run(output, "eval", "--load", weights, "--net", "mnist", "--data", SmallMnist.Directory).LastLine);

        RunResult noNet = App.Run("eval", "--load", model, "--data", SmallMnist.Directory);
        Assert.Equal(1, noNet.ExitCode);
        Assert.Single(noNet.ErrorLines);
        Assert.Equal($"error: {model}: an ONNX file without NetGen's metadata (e.g. from PyTorch): give the network its graph is with --net NAME (breast_cancer, diabetes, mnist, mnist_cnn).", noNet.ErrorLines[0]);
    }

    [Fact]
    public void A_bad_onnx_file_is_one_error_line_and_exit_code_1()
    {
        string model = Path.Combine(AppContext.BaseDirectory, "Fixtures", "pytorch", "mnist.onnx");
        string truncated = _temp.File("truncated.onnx");
        File.WriteAllBytes(truncated, File.ReadAllBytes(model)[..1000]);
        foreach (string[] args in new[] { new[] { "eval", "--load", truncated, "--data", SmallMnist.Directory }, ["eval", "--load", truncated, "--net", "mnist", "--data", SmallMnist.Directory], ["predict", "--load", truncated, "--net", "mnist", "x.png"] })
        {
            RunResult run = App.Run(args);
            Assert.True(run.ExitCode == 1, run.ToString());
            Assert.Single(run.ErrorLines);
            Assert.StartsWith($"error: {truncated}: not an ONNX file: ", run.ErrorLines[0]);
            Assert.DoesNotContain("   at ", run.Error);
        }

        // Another network's graph: the first node that differs.
        RunResult cnn = App.Run("eval", "--net", "mnist_cnn", "--load", model, "--data", SmallMnist.Directory);
        Assert.Equal(1, cnn.ExitCode);
        Assert.Matches($"^error: {System.Text.RegularExpressions.Regex.Escape(model)}: node 1 \"/fc1/Gemm\" \\(Gemm\\) where layer conv1 \\(conv1 conv2d 16 kernel 3x3 .*\\) needs Conv$", Assert.Single(cnn.ErrorLines));
    }

    /// <summary>
    /// A table model's ONNX file holds its standardization (Sub and Div in front), which eval and predict --csv apply to the
    /// raw rows; not its column or class names (export --onnx writes none), so eval needs --label and predict a CSV of the
    /// feature columns alone, and classes print as numbers.
    /// </summary>
    [Fact]
    public void A_table_models_onnx_file_evaluates_and_predicts_raw_csv_rows_as_its_safetensors_file()
    {
        string Data(string file)
        {
            for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
            {
                string candidate = Path.Combine(dir, "data", "breast_cancer", file);
                if (File.Exists(candidate)) return candidate;
            }
            throw new FileNotFoundException($"data/breast_cancer/{file} not found above the tests");
        }
        string model = _temp.File("bc.safetensors"), onnx = _temp.File("bc.onnx");
        Assert.Equal(0, App.Run(output, "train", "--net", "breast_cancer", "--data", Data("train.csv"), "--label", "diagnosis", "--epochs", "5", "--save", model).ExitCode);
        Assert.Equal(0, App.Run(output, "export", "--load", model, "--onnx", onnx).ExitCode);

        RunResult fromModel = App.Run(output, "eval", "--load", model, "--data", Data("test.csv"));
        RunResult fromOnnx = App.Run(output, "eval", "--load", onnx, "--data", Data("test.csv"), "--label", "diagnosis");
        Assert.True(fromOnnx.ExitCode == 0, fromOnnx.ToString());
        Assert.Matches(@"^Test accuracy: [0-9.]+% \([0-9]+/114\)$", fromOnnx.LastLine);
        Assert.Equal(fromModel.LastLine, fromOnnx.LastLine);

        string rows = _temp.File("rows.csv");
        File.WriteAllLines(rows, File.ReadLines(Data("test.csv")).Take(6).Select(l => string.Join(",", l.Split(',')[..^1])));
        RunResult predictModel = App.Run(output, "predict", "--load", model, "--csv", rows);
        RunResult predictOnnx = App.Run(output, "predict", "--load", onnx, "--csv", rows);
        Assert.True(predictOnnx.ExitCode == 0, predictOnnx.ToString());
        Assert.Equal(5, predictOnnx.OutLines.Length);
        // The same probabilities (the ONNX file has no class names: the class shows as its number).
        Assert.Equal(predictModel.OutLines.Select(l => l.Split('(')[1]), predictOnnx.OutLines.Select(l => l.Split('(')[1]));
    }
}
