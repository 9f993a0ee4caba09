using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace NetGen.Tests.Training;

/// <summary>
/// The fit loop's settings in a spec's "training" (validation_split, early_stopping, clip_grad_norm, schedule): they reach the
/// generated Defaults, Trainer.Fit uses them for what TrainingOptions leaves null, and options override them.
/// BlobsFitNet and BlobsWarmupNet are BlobsNet (same layers, lr and seed, so the same initial weights) with them in the spec.
/// </summary>
public class FitDefaultsTests
{
    private static float[] Weights(INetwork network) => network.Parameters.SelectMany(p => p.Values).ToArray();

    /// <summary>Validation rows whose labels are all wrong: the validation loss soon rises, so early stopping stops.</summary>
    private static (ArrayDataset Train, ArrayDataset Validation) Misleading()
    {
        ArrayDataset train = FitData.Blobs(40, seed: 9);
        var validation = ArrayDataset.WithLabels(train.Inputs.ToArray(), 2, train.Labels.ToArray().Select(l => (l + 1) % 3).ToArray(), 3);
        return (train, validation);
    }

    private static IEnumerable<(int, double, double, double, bool)> Summary(FitResult fit) =>
        fit.Epochs.Select(e => (e.Epoch, e.LearningRate, e.Loss, e.Validation?.Loss ?? double.NaN, e.IsBest));

    [Fact]
    public void The_specs_settings_reach_the_generated_defaults()
    {
        using var net = new BlobsFitNet();
        Assert.Equal(new TrainingDefaults(8, 6, 6)
        {
            ValidationSplit = 0.25,
            Patience = 2,
            MinDelta = 0.001,
            RestoreBest = true,
            ClipNorm = 0.05,
            Schedule = ScheduleSettings.Step(stepSize: 2, gamma: 0.5),
        }, net.Defaults);

        // A spec without them: none set, and restoring the best weights (Keras' default) if early stopping is asked for.
        using var plain = new BlobsNet();
        TrainingDefaults defaults = plain.Defaults;
        Assert.Equal((8, 1, 6), (defaults.BatchSize, defaults.Epochs, defaults.Seed));
        Assert.Equal((null, null, 0.0, true, null, null), (defaults.ValidationSplit, defaults.Patience, defaults.MinDelta, defaults.RestoreBest, defaults.ClipNorm, defaults.Schedule));
        Assert.True(default(TrainingDefaults).RestoreBest);
        Assert.False((defaults with { RestoreBest = false }).RestoreBest);
    }

    [Fact]
    public void Fit_trains_with_the_specs_schedule_clipping_and_early_stopping_when_the_options_leave_them_null()
    {
        var (train, validation) = Misleading();
        using var fromSpec = new BlobsFitNet();
        FitResult fit = Trainer.Fit(fromSpec, train, validation);

        // The same run with every setting given in code, on the same network without them in its spec.
        using var fromOptions = new BlobsNet();
        FitResult expected = Trainer.Fit(fromOptions, train, validation, new TrainingOptions
        {
            Epochs = 6,
            Patience = 2,
            MinDelta = 0.001,
            RestoreBest = true,
            ClipNorm = 0.05,
            Schedule = new StepLR(2, gamma: 0.5),
        });

        Assert.True(expected.StoppedEarly, "the test needs a run that stops early");
        Assert.Equal(Summary(expected), Summary(fit));
        Assert.Equal((expected.BestEpoch, expected.StoppedEarly), (fit.BestEpoch, fit.StoppedEarly));
        Assert.Equal(Weights(fromOptions), Weights(fromSpec));
        Assert.Equal(0.025f, (float)fit.Epochs[2].LearningRate); // step_size 2, gamma 0.5
    }

    [Fact]
    public void Options_override_the_specs_settings()
    {
        var (train, validation) = Misleading();
        var options = new TrainingOptions { Epochs = 4, Patience = 10, MinDelta = 0, RestoreBest = false, ClipNorm = 1e9, Schedule = new ExponentialLR(0.9) };
        using var fromSpec = new BlobsFitNet();
        FitResult fit = Trainer.Fit(fromSpec, train, validation, options);
        using var plain = new BlobsNet();
        FitResult expected = Trainer.Fit(plain, train, validation, options with { Schedule = new ExponentialLR(0.9) });

        Assert.Equal(4, fit.Epochs.Count);
        Assert.False(fit.StoppedEarly);
        Assert.Equal(Summary(expected), Summary(fit));
        Assert.Equal(Weights(plain), Weights(fromSpec));
    }

    [Fact]
    public void Without_validation_rows_the_specs_early_stopping_is_left_out()
    {
        ArrayDataset train = FitData.Blobs(40, seed: 9);
        using var net = new BlobsFitNet();
        FitResult fit = Trainer.Fit(net, train);
        Assert.Equal(6, fit.Epochs.Count);
        Assert.False(fit.StoppedEarly);
        Assert.Null(fit.BestEpoch);
        // Early stopping asked for in code still needs validation rows.
        Assert.Throws<ArgumentException>(() => Trainer.Fit(net, train, options: new TrainingOptions { Patience = 2 }));
    }

    [Fact]
    public void The_specs_warmup_cosine_spans_the_run_it_is_created_for()
    {
        ArrayDataset data = FitData.Blobs(40, seed: 1); // 120 rows: 15 steps of 8, 3 epochs: 45 steps
        var rates = new List<float>();
        using var net = new BlobsWarmupNet();
        Trainer.Fit(net, data, options: new TrainingOptions { OnStep = _ => rates.Add(net.LearningRate) });
        Assert.Equal(45, rates.Count);
        for (int k = 0; k < 10; k++) Assert.Equal(0.05 * (1.0 / 3 + (2.0 / 3) * k / 10), rates[k], 1e-7);
        for (int k = 10; k < 45; k++) Assert.Equal(0.05 * (1 + Math.Cos(Math.PI * (k - 10) / 35)) / 2, rates[k], 1e-7);

        // More epochs from the command line: the cosine ends at the longer run's last step.
        rates.Clear();
        using var longer = new BlobsWarmupNet();
        Trainer.Fit(longer, data, options: new TrainingOptions { Epochs = 4, OnStep = _ => rates.Add(longer.LearningRate) });
        Assert.Equal(60, rates.Count);
        Assert.Equal(0.05 * (1 + Math.Cos(Math.PI * 49 / 50)) / 2, rates[59], 1e-7);
    }
}
