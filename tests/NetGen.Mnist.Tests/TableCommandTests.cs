using System;
using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

using NetGen.Cli;

namespace NetGen.Mnist.Tests;

/// <summary>
/// train, eval and predict on CSV files (data/breast_cancer and data/diabetes) with networks of nets.json that no C# class
/// names: the catalog builds them.
/// </summary>
public sealed class TableCommandTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Data(string set, string file)
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            string candidate = Path.Combine(dir, "data", set, file);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"data/{set}/{file} not found above the tests");
    }

    [Fact]
    public void A_classifier_trains_on_a_table_and_eval_and_predict_read_raw_rows_with_its_class_names()
    {
        string model = _temp.File("bc.safetensors");
        RunResult train = App.Run(output, "train", "--net", "breast_cancer", "--data", Data("breast_cancer", "train.csv"), "--label", "diagnosis",
            "--validation", Data("breast_cancer", "validation.csv"), "--test", Data("breast_cancer", "test.csv"), "--epochs", "40", "--patience", "5", "--save", model);
        Assert.Equal(0, train.ExitCode);
        Assert.StartsWith("Training \"breast_cancer\" (1,554 parameters) on 341 rows of ", train.OutLines[0]);
        Assert.Contains("(30 features, \"diagnosis\" with 2 classes)", train.OutLines[0]);
        Assert.Matches(@"^Epoch 1/40  loss [0-9.]+  validation loss [0-9.]+, accuracy [0-9.]+%  [0-9.]+ s  best$", train.OutLines[2]);
        string testLine = train.LastLine;
        Assert.Matches(@"^Test accuracy: [0-9.]+% \([0-9]+/114\)$", testLine);
        Assert.True(double.Parse(testLine.Split(' ')[2].TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture) > 90, testLine);

        // The saved model knows its columns, classes and standardization: eval on the raw test rows gives the same line.
        RunResult eval = App.Run(output, "eval", "--load", model, "--data", Data("breast_cancer", "test.csv"));
        Assert.Equal(0, eval.ExitCode);
        Assert.Equal(testLine, eval.LastLine);

        // The first three test rows are malignant (their label column is left out by name).
        string rows = _temp.File("rows.csv");
        File.WriteAllLines(rows, File.ReadLines(Data("breast_cancer", "test.csv")).Take(4));
        Assert.Equal(new[] { "malignant", "malignant", "malignant" }, File.ReadLines(rows).Skip(1).Select(l => l.Split(',')[^1]));
        RunResult predict = App.Run(output, "predict", "--load", model, "--csv", rows);
        Assert.Equal(0, predict.ExitCode);
        Assert.Equal(3, predict.OutLines.Length);
        for (int r = 0; r < 3; r++) Assert.Matches($@"^row {r + 1}: (malignant|benign) \([01]\.[0-9]{{3}}\)$", predict.OutLines[r]);
        Assert.True(predict.OutLines.Count(l => l.Contains("malignant")) >= 2, predict.Out);

        // Exported to ONNX, the model keeps its columns and classes (metadata) and its standardization (the graph's first
        // nodes): eval and predict of the .onnx file take the same raw rows and print the same lines.
        string onnx = _temp.File("bc.onnx");
        Assert.Equal(0, App.Run(output, "export", "--load", model, "--onnx", onnx).ExitCode);
        RunResult evalOnnx = App.Run(output, "eval", "--load", onnx, "--data", Data("breast_cancer", "test.csv"));
        Assert.Equal(0, evalOnnx.ExitCode);
        Assert.Equal(testLine, evalOnnx.LastLine);
        RunResult predictOnnx = App.Run(output, "predict", "--load", onnx, "--csv", rows);
        Assert.Equal(predict.Out, predictOnnx.Out);
    }

    [Fact]
    public void A_table_run_stopped_with_ctrl_c_and_resumed_saves_the_same_model_as_one_that_never_stopped()
    {
        string[] Args(string save) => ["train", "--net", "diabetes", "--data", Data("diabetes", "train.csv"), "--label", "progression",
            "--validation-split", "0.25", "--epochs", "12", "--patience", "3", "--save", save];
        string whole = _temp.File("whole.safetensors"), parts = _temp.File("parts.safetensors");
        RunResult uninterrupted = App.Run(output, Args(whole));
        Assert.Equal(0, uninterrupted.ExitCode);

        using var stop = new System.Threading.CancellationTokenSource();
        RunResult stopped = App.Run(Args(parts), stop.Token, step => { if (step.Epoch == 4 && step.Step == 3) stop.Cancel(); });
        output.WriteLine(stopped.ToString());
        Assert.Equal(130, stopped.ExitCode);
        Assert.Contains($"Stopped (Ctrl+C) at epoch 4, step 3; saved {parts}", stopped.Out);

        RunResult resumed = App.Run(output, "train", "--data", Data("diabetes", "train.csv"), "--resume", parts, "--validation-split", "0.25",
            "--epochs", "12", "--patience", "3", "--save", parts);
        Assert.Equal(0, resumed.ExitCode);
        Assert.StartsWith("Resuming \"diabetes\"", resumed.OutLines[0]);
        Assert.Equal(uninterrupted.OutLines.Where(l => l.StartsWith("Stopped early") || l.StartsWith("best epoch")),
            resumed.OutLines.Where(l => l.StartsWith("Stopped early") || l.StartsWith("best epoch")));

        var (expected, _) = SafeTensors.Read(whole);
        var (actual, metadata) = SafeTensors.Read(parts);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, tensor) in expected) Assert.True(tensor.Data.AsSpan().SequenceEqual(actual[name].Data), $"{name} differs");
        Assert.Contains("input_mean", metadata.Keys);
    }

    [Fact]
    public void A_schedule_on_the_command_line_replaces_the_specs()
    {
        RunResult run = App.Run(output, "train", "--net", "breast_cancer", "--data", Data("breast_cancer", "train.csv"), "--label", "diagnosis",
            "--epochs", "3", "--schedule", "step:step_size=1,gamma=0.5");
        Assert.Equal(0, run.ExitCode);
        Assert.EndsWith("; schedule step(step_size=1, gamma=0.5)", run.OutLines[1]);
        Assert.Equal(new[] { "0.001", "0.0005", "0.00025" },
            run.OutLines.Where(l => l.StartsWith("Epoch ", StringComparison.Ordinal)).Select(l => System.Text.RegularExpressions.Regex.Match(l, @"  lr ([0-9.e-]+)  ").Groups[1].Value));

        foreach (var (schedule, message) in new[]
        {
            ("stepp", "--schedule: unknown type \"stepp\"; the types are step, exponential, cosine, warmup_cosine, reduce_on_plateau"),
            ("step:gamma=0.5", "--schedule step: step_size is required"),
            ("step:step_size=1.5", "--schedule step: step_size needs a whole number; got 1.5."),
            ("cosine:tmax=3", "--schedule cosine: unknown setting \"tmax\"; cosine takes t_max, eta_min."),
            ("reduce_on_plateau:factor=2", "--schedule reduce_on_plateau:factor=2: The factor must be more than 0 and less than 1."),
        })
        {
            RunResult bad = App.Run(output, "train", "--epochs", "1", "--schedule", schedule);
            Assert.Equal(1, bad.ExitCode);
            Assert.StartsWith("error: " + message, bad.ErrorLines[0]);
        }
    }

    [Fact]
    public void A_regression_reports_mse_mae_and_r2_and_splits_off_its_own_validation_rows()
    {
        RunResult train = App.Run(output, "train", "--net", "diabetes", "--data", Data("diabetes", "train.csv"), "--label", "progression",
            "--validation-split", "0.25", "--epochs", "30", "--test", Data("diabetes", "test.csv"));
        Assert.Equal(0, train.ExitCode);
        Assert.Contains("Validation: 66 rows held out (0.25, seed 1)", train.OutLines[1]);
        Assert.Matches(@"^Epoch 30/30  loss [0-9.]+  validation loss [0-9.]+, MSE [0-9.]+, MAE [0-9.]+, R\^2 -?[0-9.]+  ", train.OutLines[31]);
        Assert.Matches(@"^Test: MSE [0-9.]+, MAE [0-9.]+, R\^2 -?[0-9.]+ \(89 rows\)$", train.LastLine);
    }

    [Fact]
    public void Tables_that_do_not_fit_the_network_or_the_options_are_refused_in_one_line()
    {
        string bc = Data("breast_cancer", "train.csv");
        RunResult wrongNet = App.Run(output, "train", "--net", "breast_cancer", "--data", Data("diabetes", "train.csv"), "--label", "progression");
        Assert.Equal(1, wrongNet.ExitCode);
        Assert.Single(wrongNet.ErrorLines, l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains("10 feature columns, but network \"breast_cancer\" takes 30 inputs", wrongNet.Error);

        RunResult noColumn = App.Run(output, "train", "--net", "breast_cancer", "--data", bc, "--label", "diagnosys");
        Assert.Equal(1, noColumn.ExitCode);
        Assert.Contains("no column \"diagnosys\"", noColumn.Error);

        RunResult mnistOption = App.Run(output, "train", "--net", "breast_cancer", "--data", bc, "--label", "diagnosis", "--train-images", "10");
        Assert.Equal(1, mnistOption.ExitCode);
        Assert.Contains("--train-images is for MNIST data", mnistOption.Error);

        RunResult tableOption = App.Run(output, "train", "--save-best", _temp.File("best.safetensors"), "--epochs", "1");
        Assert.Equal(1, tableOption.ExitCode);
        Assert.Contains("--save-best is for CSV data", tableOption.Error);

        string bad = _temp.File("bad.csv");
        File.WriteAllText(bad, string.Join(",", Enumerable.Range(0, 30).Select(i => "f" + i)) + ",diagnosis\n" + string.Join(",", Enumerable.Repeat("1", 29)) + ",abc,benign\n");
        RunResult badCell = App.Run(output, "train", "--net", "breast_cancer", "--data", bad, "--label", "diagnosis");
        Assert.Equal(1, badCell.ExitCode);
        Assert.Contains("bad.csv(line 2, column \"f29\"): \"abc\" is not a number", badCell.Error);
    }
}
