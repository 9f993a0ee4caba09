using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using Xunit;
using Xunit.Abstractions;

using NetGen.Cli;

namespace NetGen.Mnist.Tests;

/// <summary>
/// The program end to end on a small real MNIST (600 training and 200 test images): train with --save, --metrics
/// and --plot, eval and predict with the saved file (and a PyTorch-style copy of it), resuming, Ctrl+C and divergence.
/// </summary>
public sealed partial class TrainingRunTests(ITestOutputHelper output) : IDisposable
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private RunResult Run(params string[] args) => Run(args, CancellationToken.None, null);

    private RunResult Run(string[] args, CancellationToken cancellation, Action<StepProgress>? onStep)
    {
        RunResult run = App.Run(args, cancellation, onStep);
        output.WriteLine($"> {string.Join(" ", args)}\n{run}");
        return run;
    }

    private RunResult Train(int epochs, params string[] more) =>
        Run(["train", "--data", SmallMnist.Directory, "--epochs", epochs.ToString(), "--threads", "1", .. more]);

    private static string Loss(string epochLine) => Regex.Match(epochLine, @"  loss (\S+)  ").Groups[1].Value;

    [GeneratedRegex(@"^Test accuracy: \d+\.\d\d% \(\d+/200\)$")]
    private static partial Regex AccuracyLine();

    [Fact]
    public void Train_with_save_metrics_and_plot_then_eval_and_predict_the_saved_model()
    {
        string model = _temp.File("model.safetensors");
        string metrics = _temp.File("metrics.json");
        string curves = _temp.File("curves.png");
        RunResult train = Train(2, "--save", model, "--metrics", metrics, "--plot", curves);

        Assert.True(train.ExitCode == 0, train.ToString());
        Assert.Equal("", train.Error);
        string[] lines = train.OutLines;
        Assert.Equal("Training \"mnist\" (109,386 parameters) on 600 images: 2 epochs, batch 32, lr 0.001, seed 1, 1 thread", lines[0]);
        Assert.Matches(@"^Epoch 1/2  loss \d\.\d{4}  \d+\.\d\d s$", lines[1]);
        Assert.Matches(@"^Epoch 2/2  loss \d\.\d{4}  \d+\.\d\d s$", lines[2]);
        Assert.Equal("Epoch  Loss    Train time  Test accuracy", lines[3]);
        Assert.Matches(@"^    1  \d\.\d{4}  +\d+\.\d\d s +\d+\.\d\d%$", lines[4]);
        Assert.Matches(@"^    2  \d\.\d{4}  +\d+\.\d\d s +\d+\.\d\d%$", lines[5]);
        string accuracy = train.LastLine;
        Assert.Matches(AccuracyLine(), accuracy);
        Assert.EndsWith(accuracy[(accuracy.IndexOf(':') + 2)..accuracy.IndexOf('%')] + "%", lines[5]);

        // --metrics: the documented shape, consistent with the console.
        using (JsonDocument json = JsonDocument.Parse(File.ReadAllText(metrics)))
        {
            JsonElement root = json.RootElement;
            Assert.Equal("mnist", root.GetProperty("network").GetString());
            JsonElement[] epochs = root.GetProperty("epochs").EnumerateArray().ToArray();
            Assert.Equal(2, epochs.Length);
            for (int i = 0; i < 2; i++)
            {
                Assert.Equal(i + 1, epochs[i].GetProperty("epoch").GetInt32());
                Assert.Contains($"loss {epochs[i].GetProperty("loss").GetDouble():F4}", lines[1 + i]);
                Assert.True(epochs[i].GetProperty("seconds").GetDouble() >= 0);
                Assert.InRange(epochs[i].GetProperty("test_accuracy").GetDouble(), 0, 100);
            }
            double final = root.GetProperty("test_accuracy").GetDouble();
            Assert.Equal(epochs[1].GetProperty("test_accuracy").GetDouble(), final);
            Assert.StartsWith($"Test accuracy: {final:F2}%", accuracy);
            Assert.True(final > 60, $"600 images, 2 epochs: {final}%");
        }
        Assert.Equal(PngSignature, File.ReadAllBytes(curves)[..8]);

        // The saved file: the network's tensors in PyTorch's shapes, with NetGen's metadata.
        var (tensors, metadata) = SafeTensors.Read(model);
        Assert.Equal([128, 784], tensors["fc1.weight"].Shape);
        Assert.Equal("F32", tensors["fc1.weight"].DType);
        Assert.NotEmpty(metadata);

        // eval prints the confusion matrix, precision and recall, and the same accuracy line as training.
        string misclassified = _temp.File("misclassified.png");
        RunResult eval = Run("eval", "--load", model, "--data", SmallMnist.Directory, "--plot", misclassified);
        Assert.True(eval.ExitCode == 0, eval.ToString());
        Assert.Equal("", eval.Error);
        Assert.StartsWith($"Evaluating \"mnist\" from {model} (trained for 2 epochs) on 200 test images", eval.OutLines[0]);
        Assert.Contains("Confusion matrix (rows: label, columns: predicted):", eval.Out);
        Assert.Contains("Class  Precision  Recall", eval.Out);
        Assert.Equal(accuracy, eval.LastLine);
        Assert.Equal(PngSignature, File.ReadAllBytes(misclassified)[..8]);
        int[,] confusion = ConfusionFromOutput(eval.OutLines);
        int diagonal = Enumerable.Range(0, 10).Sum(i => confusion[i, i]);
        Assert.Contains($"({diagonal}/200)", accuracy);
        Assert.Equal(200, confusion.Cast<int>().Sum());

        // A PyTorch file of the same weights (no metadata, no optimizer state) evaluates the same.
        string pytorch = _temp.File("pytorch_model.safetensors");
        SafeTensors.Write(pytorch, new MnistNet().Parameters.ToDictionary(p => p.Name, p => tensors[p.Name]));
        RunResult evalPytorch = Run("eval", "--load", pytorch, "--net", "mnist", "--data", SmallMnist.Directory);
        Assert.True(evalPytorch.ExitCode == 0, evalPytorch.ToString());
        Assert.Contains("no NetGen metadata", evalPytorch.OutLines[0]);
        Assert.Equal(accuracy, evalPytorch.LastLine);

        // predict: one line per image, the three likeliest digits with probabilities.
        string digit = _temp.File("digit.pgm");
        SmallMnist.WritePgm(digit, 0);
        RunResult predict = Run("predict", "--load", model, digit, digit);
        Assert.True(predict.ExitCode == 0, predict.ToString());
        Assert.Equal("", predict.Error);
        Assert.Equal(2, predict.OutLines.Length);
        Match m = Regex.Match(predict.OutLines[0], $@"^{Regex.Escape(digit)}: (\d) \((\d\.\d{{3}})\), (\d) \((\d\.\d{{3}})\), (\d) \((\d\.\d{{3}})\)$");
        Assert.True(m.Success, predict.OutLines[0]);
        double[] p = [double.Parse(m.Groups[2].Value), double.Parse(m.Groups[4].Value), double.Parse(m.Groups[6].Value)];
        Assert.True(p[0] >= p[1] && p[1] >= p[2] && p.Sum() <= 1.0015, predict.OutLines[0]);
        Assert.Equal(3, new[] { m.Groups[1].Value, m.Groups[3].Value, m.Groups[5].Value }.Distinct().Count());
        Assert.Equal(predict.OutLines[0], predict.OutLines[1]);
        RunResult predictPytorch = Run("predict", "--load", pytorch, digit);
        Assert.Equal(predict.OutLines[0], predictPytorch.LastLine);
    }

    /// <summary>The plain confusion matrix printed by eval: 10 rows after its title and column header.</summary>
    private static int[,] ConfusionFromOutput(string[] lines)
    {
        int title = Array.FindIndex(lines, l => l.StartsWith("Confusion matrix", StringComparison.Ordinal));
        var confusion = new int[10, 10];
        for (int l = 0; l < 10; l++)
        {
            int[] cells = lines[title + 2 + l].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
            Assert.Equal(l, cells[0]);
            for (int p = 0; p < 10; p++) confusion[l, p] = cells[1 + p];
        }
        return confusion;
    }

    /// <summary>Every tensor of two model files is identical, byte for byte (weights, biases and optimizer state).</summary>
    private static void AssertSameTensors(string expected, string actual, bool mnist = true)
    {
        var (a, _) = SafeTensors.Read(expected);
        var (b, _) = SafeTensors.Read(actual);
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        Assert.Contains("fc1.weight", a.Keys);
        Assert.True(a.Count > 6, "the optimizer state is saved too");
        foreach (string name in a.Keys)
        {
            Assert.Equal(a[name].Shape, b[name].Shape);
            Assert.True(a[name].Data.AsSpan().SequenceEqual(b[name].Data), $"tensor {name} differs");
        }
        if (!mnist) return;
        var one = new MnistNet();
        var two = new MnistNet();
        ModelFile.Load(expected, one);
        ModelFile.Load(actual, two);
        Assert.Equal(one.Step, two.Step);
    }

    [Fact]
    public void Resuming_gives_the_same_result_as_training_straight_through()
    {
        string straight = _temp.File("straight.safetensors");
        RunResult whole = Train(2, "--save", straight);
        Assert.True(whole.ExitCode == 0, whole.ToString());

        string resumed = _temp.File("resumed.safetensors");
        RunResult first = Train(1, "--save", resumed);
        Assert.True(first.ExitCode == 0, first.ToString());
        RunResult second = Train(2, "--resume", resumed, "--save", resumed);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal($"Resuming \"mnist\" (109,386 parameters) from {resumed} at the end of epoch 1 on 600 images: to 2 epochs, batch 32, lr 0.001, 1 thread", second.OutLines[0]);
        Assert.Matches(@"^Epoch 2/2  loss \d\.\d{4}  \d+\.\d\d s$", second.OutLines[1]);
        Assert.DoesNotContain(second.OutLines, l => l.StartsWith("Epoch 1/", StringComparison.Ordinal));
        Assert.Equal(Loss(whole.OutLines[2]), Loss(second.OutLines[1]));
        Assert.Equal(whole.LastLine, second.LastLine);
        AssertSameTensors(straight, resumed);
    }

    /// <summary>
    /// mnist_cnn resumes bit for bit too, and a model file of this program brings its network: --resume, eval and predict
    /// take it from the file without --net.
    /// </summary>
    [Fact]
    public void A_conv_network_resumes_exactly_and_its_files_need_no_net_option()
    {
        string straight = _temp.File("cnn-straight.safetensors"), resumed = _temp.File("cnn-resumed.safetensors");
        RunResult whole = Train(2, "--net", "mnist_cnn", "--train-images", "96", "--save", straight);
        Assert.True(whole.ExitCode == 0, whole.ToString());
        RunResult first = Train(1, "--net", "mnist_cnn", "--train-images", "96", "--save", resumed);
        Assert.True(first.ExitCode == 0, first.ToString());
        RunResult second = Train(2, "--resume", resumed, "--save", resumed);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.StartsWith($"Resuming \"mnist_cnn\" (206,922 parameters) from {resumed} at the end of epoch 1", second.OutLines[0]);
        Assert.Equal(whole.LastLine, second.LastLine);
        AssertSameTensors(straight, resumed, mnist: false);

        RunResult eval = Run("eval", "--load", resumed, "--data", SmallMnist.Directory);
        Assert.True(eval.ExitCode == 0, eval.ToString());
        Assert.StartsWith("Evaluating \"mnist_cnn\"", eval.OutLines[0]);
        Assert.Equal(whole.LastLine, eval.LastLine);
        RunResult wrong = Run("eval", "--load", resumed, "--net", "mnist", "--data", SmallMnist.Directory);
        Assert.NotEqual(0, wrong.ExitCode); // an explicit --net still rules, and the file does not fit it
    }

    /// <summary>
    /// --train-images N trains on the first N images, shuffled as a training set of N is: the same run as on a data folder
    /// holding only those N (and the same test set).
    /// </summary>
    [Fact]
    public void Train_images_trains_on_the_first_N_as_a_folder_holding_only_them_would()
    {
        string part = _temp.File("part.safetensors");
        RunResult run = Train(2, "--train-images", "250", "--save", part);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("Training \"mnist\" (109,386 parameters) on 250 images: 2 epochs, batch 32, lr 0.001, seed 1, 1 thread", run.OutLines[0]);
        Assert.Matches(AccuracyLine(), run.LastLine); // the whole test set (200 here)

        string folder = _temp.Folder("first250");
        ImageDataset train = MnistData.LoadTrain(SmallMnist.Directory).Take(250);
        File.WriteAllBytes(Path.Combine(folder, MnistData.TrainImagesName), Idx.Images(250, 28, 28, train.Pixels.ToArray()));
        File.WriteAllBytes(Path.Combine(folder, MnistData.TrainLabelsName), Idx.Build([250], train.Labels.ToArray()));
        foreach (string name in new[] { MnistData.TestImagesName, MnistData.TestLabelsName })
            File.Copy(Path.Combine(SmallMnist.Directory, name), Path.Combine(folder, name));
        string whole = _temp.File("whole.safetensors");
        RunResult reference = Run("train", "--data", folder, "--epochs", "2", "--threads", "1", "--save", whole);
        Assert.True(reference.ExitCode == 0, reference.ToString());
        Assert.Equal(reference.OutLines[0], run.OutLines[0]);
        Assert.Equal(Loss(reference.OutLines[2]), Loss(run.OutLines[2]));
        Assert.Equal(reference.LastLine, run.LastLine);
        AssertSameTensors(whole, part);
    }

    [Fact]
    public void Train_images_more_than_the_folder_holds_is_refused()
    {
        RunResult run = Train(1, "--train-images", "601");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal([$"error: --train-images 601: {Path.Combine(SmallMnist.Directory, MnistData.TrainImagesName)}.gz holds only 600 images."], run.ErrorLines);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void Resuming_keeps_the_saved_runs_seed_learning_rate_and_threads()
    {
        string straight = _temp.File("straight.safetensors");
        RunResult whole = Run("train", "--data", SmallMnist.Directory, "--epochs", "2", "--seed", "7", "--lr", "0.002", "--threads", "2", "--save", straight);
        Assert.True(whole.ExitCode == 0, whole.ToString());
        Assert.EndsWith("lr 0.002, seed 7, 2 threads", whole.OutLines[0]);

        string resumed = _temp.File("resumed.safetensors");
        RunResult first = Run("train", "--data", SmallMnist.Directory, "--epochs", "1", "--seed", "7", "--lr", "0.002", "--threads", "2", "--save", resumed);
        Assert.True(first.ExitCode == 0, first.ToString());
        RunResult second = Run("train", "--data", SmallMnist.Directory, "--epochs", "2", "--resume", resumed, "--save", resumed);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.EndsWith("to 2 epochs, batch 32, lr 0.002, 2 threads", second.OutLines[0]);
        Assert.Equal(whole.LastLine, second.LastLine);
        AssertSameTensors(straight, resumed);
    }

    /// <summary>
    /// A checkpoint records how many images its run trained on (--train-images): --resume goes on with as many, after an
    /// epoch or mid-epoch, exactly; mid-epoch another count is refused, naming both.
    /// </summary>
    [Fact]
    public void Resuming_a_run_on_part_of_the_images_continues_on_that_part()
    {
        string straight = _temp.File("part-straight.safetensors");
        RunResult whole = Train(2, "--train-images", "300", "--save", straight);
        Assert.True(whole.ExitCode == 0, whole.ToString());

        string stopped = _temp.File("part-stopped.safetensors");
        using var ctrlC = new CancellationTokenSource();
        RunResult interrupted = Run(["train", "--data", SmallMnist.Directory, "--epochs", "2", "--threads", "1", "--train-images", "300", "--save", stopped],
            ctrlC.Token, step =>
            {
                if (step.Epoch == 1 && step.Step == 4) ctrlC.Cancel();
            });
        Assert.Equal(ExitCodes.Interrupted, interrupted.ExitCode);
        byte[] saved = File.ReadAllBytes(stopped);
        RunResult other = Train(2, "--resume", stopped, "--train-images", "200", "--save", stopped);
        Assert.Equal(1, other.ExitCode);
        Assert.Equal($"error: {stopped}: stopped at step 4 of epoch 1 of a run on 300 images, so --train-images 200 cannot continue that epoch (it would train some images twice and skip others): resume with --train-images 300, or without --train-images.", other.Error.Trim());
        Assert.Equal(saved, File.ReadAllBytes(stopped));

        RunResult resumed = Train(2, "--resume", stopped, "--save", stopped);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains(" on 300 images: to 2 epochs", resumed.OutLines[0]);
        Assert.Equal(whole.LastLine, resumed.LastLine);
        AssertSameTensors(straight, stopped);
    }

    [Fact]
    public void Ctrl_C_saves_where_training_stopped_and_resume_continues_exactly()
    {
        string straight = _temp.File("straight.safetensors");
        RunResult whole = Train(2, "--save", straight);
        Assert.True(whole.ExitCode == 0, whole.ToString());

        string stopped = _temp.File("stopped.safetensors");
        using var ctrlC = new CancellationTokenSource();
        int stepsTaken = 0;
        RunResult interrupted = Run(["train", "--data", SmallMnist.Directory, "--epochs", "2", "--threads", "1", "--save", stopped], ctrlC.Token, step =>
        {
            stepsTaken++;
            if (step.Epoch == 1 && step.Step == 7) ctrlC.Cancel(); // as Ctrl+C during step 7: that step finishes
        });
        Assert.Equal(ExitCodes.Interrupted, interrupted.ExitCode);
        Assert.Equal(7, stepsTaken);
        Assert.Equal("", interrupted.Error);
        Assert.Equal($"Stopped (Ctrl+C) at epoch 1, step 7/19; saved {stopped}. Continue with: train --resume {stopped} --epochs 2 --save {stopped}", interrupted.LastLine);
        var probe = new MnistNet();
        Checkpoint checkpoint = ModelFile.Load(stopped, probe);
        Assert.Equal(7, probe.Step);
        Assert.Equal(1, checkpoint.Position!.Epoch);
        Assert.Equal(7, checkpoint.Position.StepInEpoch);

        // A different batch size cannot continue mid-epoch: a clear error naming both, nothing changed.
        byte[] saved = File.ReadAllBytes(stopped);
        foreach (string other in new[] { "16", "256" })
        {
            RunResult wrongBatch = Train(2, "--resume", stopped, "--batch-size", other, "--save", stopped);
            Assert.Equal(1, wrongBatch.ExitCode);
            Assert.Equal($"error: {stopped}: stopped at step 7 of epoch 1 in batches of 32, so --batch-size {other} cannot continue that epoch (it would train some images twice and skip others): resume with --batch-size 32, or without --batch-size.", wrongBatch.Error.Trim());
            Assert.Equal("", wrongBatch.Out);
            Assert.Equal(saved, File.ReadAllBytes(stopped));
        }

        RunResult resumed = Train(2, "--resume", stopped, "--save", stopped);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("at epoch 1, step 7/19", resumed.OutLines[0]);
        Assert.Equal(whole.LastLine, resumed.LastLine);
        AssertSameTensors(straight, stopped);
    }

    [Fact]
    public void Resuming_takes_the_saved_batch_size_and_another_one_at_an_epochs_start_with_a_note()
    {
        string model = _temp.File("model.safetensors");
        RunResult first = Train(1, "--batch-size", "64", "--save", model);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(64, ModelFile.ReadMetadata(model).Position!.BatchSize);

        RunResult same = Train(2, "--resume", model, "--save", model);
        Assert.True(same.ExitCode == 0, same.ToString());
        Assert.Contains("to 2 epochs, batch 64,", same.OutLines[0]);
        Assert.StartsWith("Epoch 2/2  loss ", same.OutLines[1]); // no note

        RunResult other = Train(3, "--resume", model, "--batch-size", "16", "--save", model);
        Assert.True(other.ExitCode == 0, other.ToString());
        Assert.Contains("to 3 epochs, batch 16,", other.OutLines[0]);
        Assert.Equal($"Note: {model} was trained in batches of 64; from epoch 3 on, batches of 16 (--batch-size).", other.OutLines[1]);
        Assert.Equal(16, ModelFile.ReadMetadata(model).Position!.BatchSize);
    }

    [Fact]
    public void A_file_without_its_batch_size_still_resumes_with_a_note()
    {
        // Mid-epoch, as saved before batch sizes were: a position without one.
        string stopped = _temp.File("stopped.safetensors");
        ModelFile.Save(stopped, new MnistNet(), new TrainingPosition(1, 5, TrainingPosition.Start(1).ShuffleState));
        RunResult mid = Train(1, "--resume", stopped);
        Assert.True(mid.ExitCode == 0, mid.ToString());
        Assert.Equal($"Note: {stopped} does not say its batch size (saved by an earlier version); epoch 1 goes on in batches of 32, which continues it exactly only if the first run used --batch-size 32.", mid.OutLines[1]);

        // At an epoch's start: the file 0.1.0 saved.
        string old = _temp.File("mnist-0.1.0.safetensors");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "mnist-0.1.0.safetensors"), old);
        RunResult boundary = Train(2, "--resume", old);
        Assert.True(boundary.ExitCode == 0, boundary.ToString());
        Assert.Equal($"Note: {old} does not say its batch size (saved by an earlier version); training goes on in batches of 32.", boundary.OutLines[1]);
        Assert.StartsWith("Epoch 2/2  loss ", boundary.OutLines[2]);
    }

    [Fact]
    public void Ctrl_C_without_save_stops_cleanly()
    {
        using var ctrlC = new CancellationTokenSource();
        RunResult run = Run(["train", "--data", SmallMnist.Directory, "--epochs", "3", "--threads", "1"], ctrlC.Token, step =>
        {
            if (step.Epoch == 2 && step.Step == 3) ctrlC.Cancel();
        });
        Assert.Equal(ExitCodes.Interrupted, run.ExitCode);
        Assert.Equal("", run.Error);
        Assert.Contains(run.OutLines, l => l.StartsWith("Epoch 1/3  loss ", StringComparison.Ordinal));
        Assert.Equal("Stopped (Ctrl+C) at epoch 2, step 3/19; nothing was saved (no --save).", run.LastLine);

        using var early = new CancellationTokenSource();
        early.Cancel();
        RunResult before = Run(["train", "--data", SmallMnist.Directory, "--epochs", "1", "--save", _temp.File("never.safetensors")], early.Token, null);
        Assert.Equal(ExitCodes.Interrupted, before.ExitCode);
        Assert.Equal("Stopped (Ctrl+C) before the first step; nothing was saved.", before.LastLine);
        Assert.False(File.Exists(_temp.File("never.safetensors")));
    }

    [Fact]
    public void Resuming_a_run_that_is_already_done_just_evaluates_it()
    {
        string model = _temp.File("model.safetensors");
        RunResult first = Train(1, "--save", model);
        Assert.True(first.ExitCode == 0, first.ToString());
        byte[] before = File.ReadAllBytes(model);

        RunResult again = Train(1, "--resume", model, "--save", model);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains($"{model} has already been trained for 1 epoch, at or past --epochs 1: nothing to train; evaluating it.", again.OutLines);
        Assert.DoesNotContain(again.OutLines, l => l.StartsWith("Epoch ", StringComparison.Ordinal));
        Assert.Equal(first.LastLine, again.LastLine);
        Assert.Equal(before, File.ReadAllBytes(model));
    }

    [Fact]
    public void A_diverging_run_stops_with_exit_code_2_and_keeps_the_last_good_checkpoint()
    {
        string model = _temp.File("model.safetensors");
        RunResult good = Train(1, "--save", model);
        Assert.True(good.ExitCode == 0, good.ToString());
        byte[] before = File.ReadAllBytes(model);

        RunResult diverged = Train(2, "--lr", "1e30", "--save", model, "--metrics", _temp.File("m.json"));
        Assert.Equal(ExitCodes.TrainingFailed, diverged.ExitCode);
        string error = Assert.Single(diverged.ErrorLines);
        Assert.Matches(@"^error: training diverged: the loss became (NaN|∞|-∞|Infinity|-Infinity) at epoch 1, step \d+; ", error);
        Assert.Contains("lower learning rate (--lr)", error);
        Assert.EndsWith($"{model} was left as it was (the last good checkpoint).", error);
        Assert.DoesNotContain("Test accuracy", diverged.Out);
        Assert.Equal(before, File.ReadAllBytes(model));
        Assert.False(File.Exists(_temp.File("m.json")));

        string fresh = _temp.File("fresh.safetensors");
        RunResult nothing = Train(1, "--lr", "1e30", "--save", fresh);
        Assert.Equal(ExitCodes.TrainingFailed, nothing.ExitCode);
        Assert.EndsWith($"Nothing was saved to {fresh}.", nothing.Error.Trim());
        Assert.False(File.Exists(fresh));
    }

    [Fact]
    public void A_checkpoint_that_cannot_be_written_stops_training_with_exit_code_2()
    {
        string folder = _temp.Folder("out");
        string model = Path.Combine(folder, "model.safetensors");
        RunResult run = Run(["train", "--data", SmallMnist.Directory, "--epochs", "2", "--save", model], CancellationToken.None, step =>
        {
            if (step.Step == 3 && Directory.Exists(folder)) Directory.Delete(folder, recursive: true); // the folder goes away during training
        });
        Assert.Equal(ExitCodes.TrainingFailed, run.ExitCode);
        string error = Assert.Single(run.ErrorLines);
        Assert.StartsWith("error: ", error);
        Assert.Contains("model.safetensors", error);
        Assert.DoesNotContain("   at ", run.Error);
        Assert.DoesNotContain("Test accuracy", run.Out);
    }

    [Fact]
    public void Metrics_file_has_the_documented_shape()
    {
        string path = _temp.File("metrics.json");
        MetricsFile.Write(path, "mnist",
            [new EpochMetrics(1, 0.29654321, 2.3149, 96.1), new EpochMetrics(2, 0.11891, 2.0, 97.62)], 97.62);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal(
            """{"network":"mnist","epochs":[{"epoch":1,"loss":0.2965,"seconds":2.31,"test_accuracy":96.1},{"epoch":2,"loss":0.1189,"seconds":2,"test_accuracy":97.62}],"test_accuracy":97.62}""",
            JsonSerializer.Serialize(json.RootElement));
        Assert.Single(Directory.GetFiles(_temp.Path)); // no temporary file left behind
    }

    [Fact]
    public void Predict_line_lists_the_three_likeliest_classes()
    {
        float[] p = [0.001f, 0.012f, 0.004f, 0, 0, 0, 0, 0.981f, 0.002f, 0];
        Assert.Equal("digit.png: 7 (0.981), 1 (0.012), 2 (0.004)", PredictCommand.Line("digit.png", p));
        Assert.Equal("x: 0 (0.500), 1 (0.500), 2 (0.000)", PredictCommand.Line("x", [0.5f, 0.5f, 0, 0]));
    }
}
