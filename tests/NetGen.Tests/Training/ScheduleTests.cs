using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Tests.Training;

/// <summary>
/// The learning-rate schedules against the rates torch 1.13 recorded (Fixtures/pytorch/schedules.json, make_schedules.py),
/// their state round trip, and their argument checks. Expected values come from PyTorch or are worked out by hand.
/// </summary>
public sealed class ScheduleTests(ITestOutputHelper output)
{
    /// <summary>
    /// Relative difference allowed from PyTorch's rates: both compute the same recursion in double. This alone would not tell
    /// the recursion from the closed formula (they differ by up to 4e-14 relative on these cases), so on Linux, where .NET's
    /// Math.Cos and Python's math.cos are both glibc's cos, every rate must also be PyTorch's to the bit.
    /// </summary>
    private const double Tolerance = 1e-12;

    public static IEnumerable<object[]> Cases => ScheduleFixtures.Names;

    [Theory]
    [MemberData(nameof(Cases))]
    public void RatesMatchPyTorch(string name)
    {
        ScheduleFixtures.Case c = ScheduleFixtures.Cases[name];
        LearningRateSchedule schedule = c.Create();
        schedule.Start(c.BaseRate);
        double worst = 0;
        int exact = 0;
        for (int k = 0; k < c.Rates.Length; k++)
        {
            double expected = c.Rates[k], actual = schedule.Rate;
            double error = expected == actual ? 0 : Math.Abs(actual - expected) / Math.Abs(expected);
            Assert.True(error <= Tolerance, $"{name}: step {k}: rate {actual:R}, PyTorch {expected:R} (relative error {error:E2}).");
            worst = Math.Max(worst, error);
            if (BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual)) exact++;
            schedule.Advance(c.Metrics?[k] ?? double.NaN);
        }
        output.WriteLine($"{name}: {c.Rates.Length} rates, {exact} bit-identical, max relative error {worst:E2}");
        if (OperatingSystem.IsLinux()) Assert.Equal(c.Rates.Length, exact);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void StateRestoresTheSequenceBitForBit(string name)
    {
        ScheduleFixtures.Case c = ScheduleFixtures.Cases[name];
        double[] reference = Run(c, c.Create(), 0, c.Rates.Length);
        foreach (int k in new[] { 0, 1, 2, c.Rates.Length / 3, c.Rates.Length / 2, c.Rates.Length - 1 }.Distinct())
        {
            LearningRateSchedule first = c.Create();
            first.Start(c.BaseRate);
            for (int i = 0; i < k; i++) first.Advance(c.Metrics?[i] ?? double.NaN);
            double[] state = first.GetState();

            LearningRateSchedule resumed = c.Create();
            resumed.SetState(state);
            Assert.Equal(state, resumed.GetState());
            double[] rest = Run(c, resumed, k, c.Rates.Length);
            for (int i = k; i < c.Rates.Length; i++)
                Assert.True(BitConverter.DoubleToInt64Bits(reference[i]) == BitConverter.DoubleToInt64Bits(rest[i]),
                    $"{name}: resumed at {k}: step {i} gives {rest[i]:R}, the run without a break {reference[i]:R}.");
        }
    }

    /// <summary>The rates of steps <paramref name="from"/> to <paramref name="to"/> (the schedule started or restored at <paramref name="from"/>).</summary>
    private static double[] Run(ScheduleFixtures.Case c, LearningRateSchedule schedule, int from, int to)
    {
        if (from == 0 && double.IsNaN(schedule.Rate)) schedule.Start(c.BaseRate);
        var rates = new double[to];
        for (int k = from; k < to; k++)
        {
            rates[k] = schedule.Rate;
            schedule.Advance(c.Metrics?[k] ?? double.NaN);
        }
        return rates;
    }

    [Fact]
    public void StartRestartsFromEpochZero()
    {
        var schedule = new ExponentialLR(0.5);
        schedule.Start(1.0);
        schedule.Advance();
        schedule.Advance();
        Assert.Equal(0.25, schedule.Rate);
        schedule.Start(2.0);
        Assert.Equal(2.0, schedule.Rate);
        schedule.Advance();
        Assert.Equal(1.0, schedule.Rate);
    }

    [Fact]
    public void HandComputedSequences()
    {
        // Powers of two and thirds are exact: StepLR(2, 0.5) from 1 is 1, 1, 0.5, 0.5, 0.25.
        Assert.Equal(new[] { 1.0, 1.0, 0.5, 0.5, 0.25, 0.25 }, Rates(new StepLR(2, 0.5), 1.0, 6));
        // LinearLR(0.5, 1, 2): 0.5, then * (1 + 0.5 / (2 * 0.5 + 0)) = 0.75, then * (1 + 0.5 / (1 + 0.5)) = 1, then 1.
        Assert.Equal(new[] { 0.5, 0.75, 1.0, 1.0 }, Rates(new LinearLR(0.5, 1.0, 2), 1.0, 4));
        // CosineAnnealingLR(2) from 1: 1, (1 + cos(pi/2)) / 2 = 0.5 (cos(pi/2) is 6e-17), 0, then back up by (1 - cos(pi/2)) / 2.
        double[] cosine = Rates(new CosineAnnealingLR(2), 1.0, 5);
        Assert.Equal(1.0, cosine[0]);
        Assert.Equal(0.5, cosine[1], 15);
        Assert.Equal(0.0, cosine[2]);
        Assert.Equal(0.5, cosine[3], 15);
        Assert.Equal(1.0, cosine[4], 15);
        // Warmup 2 steps from a quarter, then cosine over 2 steps, the cosine entering at the base rate.
        double[] warm = Rates(SequentialLR.WarmupCosine(2, 4, 0.25), 1.0, 5);
        Assert.Equal(0.25, warm[0]);
        Assert.Equal(0.625, warm[1]);
        Assert.Equal(1.0, warm[2]);
        Assert.Equal(0.5, warm[3], 15);
        Assert.Equal(0.0, warm[4]);
    }

    [Fact]
    public void PlateauReducesAfterPatienceThenCoolsDown()
    {
        // patience 1, cooldown 1, factor 0.5: the third epoch without improvement reduces; during the cooldown epoch bad
        // epochs are not counted; then two more bad epochs reduce again.
        var schedule = new ReduceLROnPlateau(patience: 1, cooldown: 1, factor: 0.5);
        schedule.Start(1.0);
        double[] losses = { 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.5 };
        var rates = new List<double>();
        foreach (double loss in losses)
        {
            schedule.Advance(loss);
            rates.Add(schedule.Rate);
        }
        // epoch 1: best 1; 2: bad 1; 3: bad 2 > 1 -> 0.5, cooldown 1; 4: bad, cooldown -> 0, bad reset; 5: bad 1; 6: bad 2 -> 0.25; 7: better.
        Assert.Equal(new[] { 1.0, 1.0, 0.5, 0.5, 0.5, 0.25, 0.25 }, rates);
    }

    [Fact]
    public void PlateauStopsAtMinLrAndSkipsChangesBelowEps()
    {
        var floor = new ReduceLROnPlateau(patience: 0, factor: 0.5, minLr: 0.3);
        floor.Start(1.0);
        floor.Advance(1.0);
        floor.Advance(1.0);
        Assert.Equal(0.5, floor.Rate);
        floor.Advance(1.0);
        Assert.Equal(0.3, floor.Rate);
        floor.Advance(1.0);
        Assert.Equal(0.3, floor.Rate);

        var eps = new ReduceLROnPlateau(patience: 0, factor: 0.5, eps: 0.5);
        eps.Start(1.0);
        eps.Advance(1.0);
        eps.Advance(1.0); // 1 - 0.5 is not more than eps 0.5: no change
        Assert.Equal(1.0, eps.Rate);
    }

    [Fact]
    public void Describe()
    {
        Assert.Equal("step_lr(step_size=30, gamma=0.1)", new StepLR(30).Describe());
        Assert.Equal("exponential_lr(gamma=0.9)", new ExponentialLR(0.9).Describe());
        Assert.Equal("cosine_annealing_lr(T_max=10, eta_min=1e-05)", new CosineAnnealingLR(10, 1e-5).Describe());
        Assert.Equal("linear_lr(start_factor=0.3333333333333333, end_factor=1, total_iters=5)", new LinearLR().Describe());
        Assert.Equal("sequential_lr(schedulers=[linear_lr(start_factor=0.1, end_factor=1, total_iters=100), "
            + "cosine_annealing_lr(T_max=900, eta_min=0)], milestones=[100])", SequentialLR.WarmupCosine(100, 1000, 0.1).Describe());
        Assert.Equal("reduce_lr_on_plateau(mode=min, factor=0.1, patience=10, threshold=0.0001, threshold_mode=rel, cooldown=0, min_lr=0, eps=1e-08)",
            new ReduceLROnPlateau().Describe());
        Assert.Equal(new StepLR(30).Describe(), new StepLR(30).ToString());
    }

    [Fact]
    public void Units()
    {
        Assert.Equal(ScheduleUnit.Epoch, new StepLR(3).Unit);
        Assert.Equal(ScheduleUnit.Step, new CosineAnnealingLR(100) { Unit = ScheduleUnit.Step }.Unit);
        Assert.Equal(ScheduleUnit.Step, SequentialLR.WarmupCosine(5, 50).Unit);
        Assert.Equal(ScheduleUnit.Epoch, new ReduceLROnPlateau().Unit);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau { Unit = ScheduleUnit.Step });
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepLR(3) { Unit = (ScheduleUnit)7 });
    }

    [Fact]
    public void SettingsAreChecked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepLR(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepLR(3, -0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepLR(3, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepLR(3, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialLR(-0.9));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialLR(double.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineAnnealingLR(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineAnnealingLR(-3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineAnnealingLR(10, -1e-3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineAnnealingLR(10, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearLR(0.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearLR(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearLR(0.5, -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearLR(0.5, 1.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearLR(0.5, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau(factor: 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau(factor: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau(patience: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau(threshold: -1e-4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau(cooldown: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau(minLr: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau(eps: double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau(mode: (PlateauMode)2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau(thresholdMode: (PlateauThresholdMode)2));
        Assert.Throws<ArgumentOutOfRangeException>(() => SequentialLR.WarmupCosine(0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => SequentialLR.WarmupCosine(10, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => SequentialLR.WarmupCosine(5, 10, 0.0));

        var two = new LearningRateSchedule[] { new LinearLR(), new CosineAnnealingLR(10) };
        Assert.Throws<ArgumentException>(() => new SequentialLR(two, Array.Empty<int>()));
        Assert.Throws<ArgumentException>(() => new SequentialLR(Array.Empty<LearningRateSchedule>(), Array.Empty<int>()));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SequentialLR(two, new[] { 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SequentialLR(new LearningRateSchedule[] { new LinearLR(), new StepLR(2), new StepLR(3) }, new[] { 5, 5 }));
        Assert.Throws<ArgumentException>(() => new SequentialLR(new LearningRateSchedule[] { new LinearLR(), new ReduceLROnPlateau() }, new[] { 5 }));
        Assert.Throws<ArgumentException>(() => new SequentialLR(new LearningRateSchedule[] { new LinearLR(), SequentialLR.WarmupCosine(2, 5) }, new[] { 5 }));
        Assert.Throws<ArgumentNullException>(() => new SequentialLR(null!, new[] { 5 }));

        Assert.Throws<ArgumentOutOfRangeException>(() => new StepLR(3).Start(-0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepLR(3).Start(double.NaN));
    }

    [Fact]
    public void UseBeforeStartAndBadStatesAreRefused()
    {
        var schedule = new StepLR(3);
        Assert.True(double.IsNaN(schedule.Rate));
        Assert.Throws<InvalidOperationException>(() => schedule.Advance());
        Assert.Throws<InvalidOperationException>(() => schedule.GetState());

        Assert.Throws<ArgumentException>(() => new StepLR(3).SetState(new double[] { 0.1, 2 }));
        Assert.Throws<ArgumentException>(() => new StepLR(3).SetState(new double[] { 0.1, 2, 0.1, 0 }));
        Assert.Throws<ArgumentException>(() => new StepLR(3).SetState(new double[] { 0.1, 2.5, 0.1 }));
        Assert.Throws<ArgumentException>(() => new StepLR(3).SetState(new double[] { 0.1, -1, 0.1 }));
        Assert.Throws<ArgumentException>(() => new StepLR(3).SetState(new double[] { double.NaN, 2, 0.1 }));
        Assert.Throws<ArgumentException>(() => new ReduceLROnPlateau().SetState(new double[] { 0.1, 2, 0.1 }));
        Assert.Throws<ArgumentException>(() => new ReduceLROnPlateau(patience: 2).SetState(new double[] { 0.1, 1.0, 3, 0, 7 }));
        Assert.Throws<ArgumentException>(() => new ReduceLROnPlateau(cooldown: 1).SetState(new double[] { 0.1, 1.0, 0, 2, 7 }));
        Assert.Throws<ArgumentException>(() => new ReduceLROnPlateau().SetState(new double[] { 0.1, double.NaN, 0, 0, 7 }));

        var plateau = new ReduceLROnPlateau();
        plateau.Start(0.1);
        Assert.Throws<ArgumentException>(() => plateau.Advance());
        plateau.Advance(double.PositiveInfinity); // a metric PyTorch takes (never better than the start)
        Assert.Equal(0.1, plateau.Rate);
    }

    private static double[] Rates(LearningRateSchedule schedule, double baseRate, int count)
    {
        schedule.Start(baseRate);
        var rates = new double[count];
        for (int k = 0; k < count; k++)
        {
            rates[k] = schedule.Rate;
            schedule.Advance();
        }
        return rates;
    }
}
