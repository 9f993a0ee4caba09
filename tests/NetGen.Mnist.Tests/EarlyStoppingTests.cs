using System;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

using NetGen.Cli;

namespace NetGen.Mnist.Tests;

/// <summary>Early stopping on MNIST chooses the epoch on training images held out for validation, never on the test set.</summary>
public sealed class EarlyStoppingTests(ITestOutputHelper output)
{
    [Fact]
    public void Validation_images_come_from_the_training_set_and_each_epoch_reports_them()
    {
        RunResult run = App.Run(output, "train", "--data", SmallMnist.Directory, "--epochs", "3", "--patience", "2", "--threads", "1");
        Assert.Equal(0, run.ExitCode);
        // 600 training images: 480 train, 120 (20%, stratified by digit) validate; the 200 test images stay for the test line.
        Assert.Equal("Training \"mnist\" (109,386 parameters) on 480 images: 3 epochs, batch 32, lr 0.001, seed 1, 1 thread", run.OutLines[0]);
        Assert.Equal("Validation: 120 training images held out (0.2, seed 1, stratified); early stopping after 2 epochs without a lower validation loss", run.OutLines[1]);
        Assert.Matches(@"^Epoch 1: validation loss [0-9.]+, accuracy [0-9.]+%, best so far$", run.OutLines.First(l => l.StartsWith("Epoch 1:", StringComparison.Ordinal)));
        Assert.Equal(3, run.OutLines.Count(l => l.StartsWith("Epoch ", StringComparison.Ordinal) && l.Contains(": validation loss")));
        Assert.Matches(@"^Test accuracy: [0-9.]+% \([0-9]+/200\)$", run.LastLine);
    }

    [Fact]
    public void A_split_without_patience_only_validates()
    {
        RunResult split = App.Run(output, "train", "--data", SmallMnist.Directory, "--epochs", "1", "--validation-split", "0.5");
        Assert.Equal(0, split.ExitCode);
        Assert.Equal("Validation: 300 training images held out (0.5, seed 1, stratified)", split.OutLines[1]);
    }

    [Fact]
    public void A_run_with_early_stopping_stopped_mid_epoch_and_resumed_saves_the_same_model()
    {
        using var temp = new TempFolder();
        string whole = temp.File("whole.safetensors"), parts = temp.File("parts.safetensors");
        string[] Args(string save) => ["train", "--data", SmallMnist.Directory, "--epochs", "4", "--patience", "2", "--threads", "1", "--save", save];
        RunResult uninterrupted = App.Run(output, Args(whole));
        Assert.Equal(0, uninterrupted.ExitCode);

        using var stop = new System.Threading.CancellationTokenSource();
        RunResult stopped = App.Run(Args(parts), stop.Token, step => { if (step.Epoch == 2 && step.Step == 5) stop.Cancel(); });
        output.WriteLine(stopped.ToString());
        Assert.Equal(130, stopped.ExitCode);
        Assert.EndsWith($"Continue with: train --resume {parts} --epochs 4 --patience 2 --save {parts}", stopped.LastLine);

        RunResult resumed = App.Run(output, "train", "--data", SmallMnist.Directory, "--resume", parts, "--epochs", "4", "--patience", "2", "--save", parts);
        Assert.Equal(0, resumed.ExitCode);
        Assert.StartsWith($"Resuming \"mnist\" (109,386 parameters) from {parts} at epoch 2, step 5/15 on 480 images", resumed.OutLines[0]);
        Assert.Equal(uninterrupted.LastLine, resumed.LastLine);
        var (expected, _) = SafeTensors.Read(whole);
        var (actual, _) = SafeTensors.Read(parts);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, tensor) in expected) Assert.True(tensor.Data.AsSpan().SequenceEqual(actual[name].Data), $"{name} differs");
    }
}
