using System;
using Xunit;

namespace NetGen.Tests.Training;

/// <summary>ScheduleSettings: a spec's schedule, made into the runtime schedule for a run with PyTorch's settings.</summary>
public class ScheduleSettingsTests
{
    [Fact]
    public void Step_creates_a_StepLR_per_epoch()
    {
        var schedule = Assert.IsType<StepLR>(ScheduleSettings.Step(30, gamma: 0.5).Create(epochs: 100, stepsPerEpoch: 7));
        Assert.Equal((30, 0.5, ScheduleUnit.Epoch), (schedule.StepSize, schedule.Gamma, schedule.Unit));
        Assert.Equal(0.1, Assert.IsType<StepLR>(ScheduleSettings.Step(30).Create(100, 7)).Gamma);
    }

    [Fact]
    public void Exponential_creates_an_ExponentialLR_per_epoch()
    {
        var schedule = Assert.IsType<ExponentialLR>(ScheduleSettings.Exponential(0.95).Create(10, 7));
        Assert.Equal((0.95, ScheduleUnit.Epoch), (schedule.Gamma, schedule.Unit));
    }

    [Fact]
    public void Cosine_anneals_over_t_max_or_else_over_the_runs_epochs()
    {
        var given = Assert.IsType<CosineAnnealingLR>(ScheduleSettings.Cosine(tMax: 40, etaMin: 0.001).Create(epochs: 100, stepsPerEpoch: 7));
        Assert.Equal((40, 0.001, ScheduleUnit.Epoch), (given.TMax, given.EtaMin, given.Unit));
        var byEpochs = Assert.IsType<CosineAnnealingLR>(ScheduleSettings.Cosine().Create(epochs: 25, stepsPerEpoch: 7));
        Assert.Equal((25, 0.0), (byEpochs.TMax, byEpochs.EtaMin));
    }

    [Fact]
    public void Warmup_cosine_warms_up_then_anneals_to_the_runs_last_step()
    {
        var schedule = Assert.IsType<SequentialLR>(ScheduleSettings.WarmupCosine(100, startFactor: 0.25, etaMin: 1e-5).Create(epochs: 10, stepsPerEpoch: 50));
        Assert.Equal(ScheduleUnit.Step, schedule.Unit);
        Assert.Equal(new[] { 100 }, schedule.Milestones);
        var warmup = Assert.IsType<LinearLR>(schedule.Schedules[0]);
        Assert.Equal((0.25, 1.0, 100), (warmup.StartFactor, warmup.EndFactor, warmup.TotalIters));
        var cosine = Assert.IsType<CosineAnnealingLR>(schedule.Schedules[1]);
        Assert.Equal((400, 1e-5), (cosine.TMax, cosine.EtaMin)); // 10 x 50 steps, 100 of them warmup
        Assert.Equal(SequentialLR.WarmupCosine(100, 500, 0.25, 1e-5).Describe(), schedule.Describe());
        Assert.Equal(1.0 / 3, ScheduleSettings.WarmupCosine(100).StartFactor);
    }

    [Fact]
    public void Warmup_cosine_needs_a_run_longer_than_its_warmup()
    {
        var settings = ScheduleSettings.WarmupCosine(100);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => settings.Create(epochs: 2, stepsPerEpoch: 50));
        Assert.Contains("warmup of 100 steps", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => settings.Create(epochs: 1 << 20, stepsPerEpoch: 1 << 12)); // more steps than an int holds
        Assert.IsType<SequentialLR>(settings.Create(epochs: 2, stepsPerEpoch: 51));
    }

    [Fact]
    public void Reduce_on_plateau_creates_pytorchs_min_mode_on_a_relative_threshold()
    {
        var schedule = Assert.IsType<ReduceLROnPlateau>(ScheduleSettings.ReduceOnPlateau(factor: 0.5, patience: 3, threshold: 0.01, cooldown: 2, minLr: 1e-6).Create(10, 7));
        Assert.Equal((PlateauMode.Min, 0.5, 3, 0.01, PlateauThresholdMode.Relative, 2, 1e-6), (schedule.Mode, schedule.Factor, schedule.Patience, schedule.Threshold, schedule.ThresholdMode, schedule.Cooldown, schedule.MinLr));
        var defaults = Assert.IsType<ReduceLROnPlateau>(ScheduleSettings.ReduceOnPlateau().Create(10, 7));
        Assert.Equal((0.1, 10, 1e-4, 0, 0.0), (defaults.Factor, defaults.Patience, defaults.Threshold, defaults.Cooldown, defaults.MinLr));
    }

    [Fact]
    public void Each_run_gets_a_schedule_of_its_own()
    {
        var settings = ScheduleSettings.Step(2);
        Assert.NotSame(settings.Create(10, 7), settings.Create(10, 7));
    }

    [Fact]
    public void Describe_uses_the_specs_words()
    {
        Assert.Equal("step(step_size=30, gamma=0.1)", ScheduleSettings.Step(30).Describe());
        Assert.Equal("exponential(gamma=0.95)", ScheduleSettings.Exponential(0.95).Describe());
        Assert.Equal("cosine(t_max=epochs, eta_min=0)", ScheduleSettings.Cosine().Describe());
        Assert.Equal("cosine(t_max=40, eta_min=1e-05)", ScheduleSettings.Cosine(40, 1e-5).ToString());
        Assert.Equal("warmup_cosine(warmup_steps=100, start_factor=0.25, eta_min=0)", ScheduleSettings.WarmupCosine(100, 0.25).Describe());
        Assert.Equal("reduce_on_plateau(factor=0.1, patience=10, threshold=0.0001, cooldown=0, min_lr=0)", ScheduleSettings.ReduceOnPlateau().Describe());
    }

    [Fact]
    public void Settings_are_values()
    {
        Assert.Equal(ScheduleSettings.Step(30, 0.5), ScheduleSettings.Step(30, 0.5));
        Assert.NotEqual(ScheduleSettings.Step(30, 0.5), ScheduleSettings.Step(30));
        Assert.NotEqual(ScheduleSettings.Cosine(), ScheduleSettings.Cosine(10));
    }

    [Fact]
    public void Impossible_settings_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ScheduleSettings.Step(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScheduleSettings.Step(3, gamma: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScheduleSettings.Exponential(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScheduleSettings.Cosine(tMax: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScheduleSettings.Cosine(etaMin: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScheduleSettings.WarmupCosine(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScheduleSettings.WarmupCosine(10, startFactor: 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScheduleSettings.ReduceOnPlateau(factor: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScheduleSettings.ReduceOnPlateau(patience: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScheduleSettings.ReduceOnPlateau(minLr: double.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScheduleSettings.Step(3).Create(0, 7));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScheduleSettings.Step(3).Create(10, 0));
    }
}
