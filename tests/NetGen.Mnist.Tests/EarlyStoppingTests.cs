using System;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

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
    public void A_split_without_patience_only_validates_and_resume_refuses_them()
    {
        RunResult split = App.Run(output, "train", "--data", SmallMnist.Directory, "--epochs", "1", "--validation-split", "0.5");
        Assert.Equal(0, split.ExitCode);
        Assert.Equal("Validation: 300 training images held out (0.5, seed 1, stratified)", split.OutLines[1]);

        RunResult resume = App.Run(output, "train", "--resume", "m.safetensors", "--patience", "3");
        Assert.Equal(1, resume.ExitCode);
        Assert.Contains("--patience and --validation-split start a run", resume.Error);
    }
}
