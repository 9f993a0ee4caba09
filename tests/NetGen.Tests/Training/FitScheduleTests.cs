using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Xunit;

namespace NetGen.Tests.Training;

/// <summary>Trainer.Fit with a learning-rate schedule, gradient clipping, and resuming all of it bit for bit.</summary>
public class FitScheduleTests
{
    private static float[] Weights(INetwork network) => network.Parameters.SelectMany(p => p.Values).ToArray();

    private static double GlobalNorm(INetwork network) => Math.Sqrt(network.Parameters.SelectMany(p => p.Gradients!).Sum(g => (double)g * g));

    [Fact]
    public void An_epoch_schedule_changes_the_rate_after_each_epoch_and_a_step_schedule_before_each_step()
    {
        ArrayDataset data = FitData.Blobs(40, seed: 1); // 120 rows: 15 steps of 8
        using var byEpoch = new BlobsNet(); // lr 0.05
        FitResult fit = Trainer.Fit(byEpoch, data, options: new TrainingOptions { Epochs = 5, Schedule = new StepLR(2, gamma: 0.5) });
        Assert.Equal(new[] { 0.05f, 0.05f, 0.025f, 0.025f, 0.0125f }, fit.Epochs.Select(e => (float)e.LearningRate));

        // Warmup over 10 steps from a third of the rate, then cosine to 0 over the remaining 35: the rate each step ran with.
        var rates = new List<float>();
        using var byStep = new BlobsNet();
        Trainer.Fit(byStep, data, options: new TrainingOptions
        {
            Epochs = 3,
            Schedule = SequentialLR.WarmupCosine(10, 45),
            OnStep = _ => rates.Add(byStep.LearningRate),
        });
        Assert.Equal(45, rates.Count);
        for (int k = 0; k < 10; k++) Assert.Equal(0.05 * (1.0 / 3 + (2.0 / 3) * k / 10), rates[k], 1e-7);
        for (int k = 10; k < 45; k++) Assert.Equal(0.05 * (1 + Math.Cos(Math.PI * (k - 10) / 35)) / 2, rates[k], 1e-7);
    }

    [Fact]
    public void Reduce_on_plateau_watches_the_validation_loss()
    {
        ArrayDataset train = FitData.Blobs(40, seed: 9);
        var misleading = ArrayDataset.WithLabels(train.Inputs.ToArray(), 2, train.Labels.ToArray().Select(l => (l + 1) % 3).ToArray(), 3);
        using var net = new BlobsNet();
        FitResult fit = Trainer.Fit(net, train, misleading, new TrainingOptions { Epochs = 8, Schedule = new ReduceLROnPlateau(factor: 0.5, patience: 1) });
        // The validation loss only rises after the first epoch or two: the rate halves every second epoch from then on.
        float[] rates = fit.Epochs.Select(e => (float)e.LearningRate).ToArray();
        Assert.Equal(0.05f, rates[0]);
        Assert.True(rates[^1] <= 0.05f / 4, string.Join(", ", rates));
        for (int e = 1; e < rates.Length; e++) Assert.True(rates[e] == rates[e - 1] || rates[e] == rates[e - 1] / 2, string.Join(", ", rates));
    }

    [Fact]
    public void Clipping_bounds_every_steps_gradient_norm_and_a_norm_never_reached_changes_nothing()
    {
        ArrayDataset data = FitData.Blobs(40, seed: 3);
        var unclippedNorms = new List<double>();
        using var plain = new BlobsNet();
        Trainer.Fit(plain, data, options: new TrainingOptions { Epochs = 2, OnStep = _ => unclippedNorms.Add(GlobalNorm(plain)) });
        Assert.True(unclippedNorms.Max() > 0.05, "the test needs gradients above the clipping norm");

        var norms = new List<double>();
        using var clipped = new BlobsNet();
        Trainer.Fit(clipped, data, options: new TrainingOptions { Epochs = 2, ClipNorm = 0.05, OnStep = _ => norms.Add(GlobalNorm(clipped)) });
        Assert.All(norms, n => Assert.True(n <= 0.05 * (1 + 1e-5), $"norm {n} after clipping to 0.05"));

        using var loose = new BlobsNet();
        Trainer.Fit(loose, data, options: new TrainingOptions { Epochs = 2, ClipNorm = 1e9 });
        Assert.Equal(Weights(plain), Weights(loose)); // ComputeGradients + OptimizerStep is TrainStep
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_run_stopped_and_resumed_with_a_schedule_and_early_stopping_trains_the_same_bits(bool midEpoch)
    {
        ArrayDataset all = FitData.Blobs(40, seed: 5);
        var (train, validation) = Datasets.Split(all, 0.25, seed: 1);
        TrainingOptions Options() => new() { Epochs = 6, Patience = 4, RestoreBest = false, Schedule = new StepLR(1, gamma: 0.7), ClipNorm = 0.5 };

        using var whole = new BlobsNet();
        FitResult expected = Trainer.Fit(whole, train, validation, Options());

        // The same run, stopped in (or at the end of) epoch 3 and resumed from the position it reported, with a new schedule.
        using var parts = new BlobsNet();
        TrainingPosition? position = null;
        using var stop = new CancellationTokenSource();
        var first = Options() with
        {
            OnStep = p =>
            {
                position = p.Position;
                if (p.Epoch == 3 && p.Step == (midEpoch ? 4 : p.Steps)) stop.Cancel();
            },
        };
        Assert.Throws<OperationCanceledException>(() => Trainer.Fit(parts, train, validation, first, cancellationToken: stop.Token));
        // At the epoch's last step its end (validation, the schedule's step) is still to do: the position says so.
        int steps = (train.Count + 7) / 8;
        Assert.Equal((3, midEpoch ? 4 : steps), (position!.Epoch, position.StepInEpoch));
        FitResult rest = Trainer.Fit(parts, train, validation, Options() with { Resume = position });

        Assert.Equal(Weights(whole), Weights(parts));
        Assert.Equal(expected.Epochs.Skip(2).Select(e => (e.Epoch, e.LearningRate, e.Validation!.Loss, e.IsBest)),
            rest.Epochs.Select(e => (e.Epoch, e.LearningRate, e.Validation!.Loss, e.IsBest)));
        Assert.Equal(expected.BestEpoch, rest.BestEpoch);
    }
}
