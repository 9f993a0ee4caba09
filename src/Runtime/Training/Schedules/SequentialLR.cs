using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen;

/// <summary>
/// PyTorch's <c>SequentialLR</c>: one schedule after another, switching at the milestones (counted in this schedule's
/// <see cref="LearningRateSchedule.Unit"/>s from its start). <see cref="WarmupCosine"/> makes the common
/// linear-warmup-then-cosine one.
/// </summary>
/// <remarks>
/// <para>
/// As torch 1.13 does: the first schedule starts at epoch 0; at milestone <c>i</c> schedule <c>i + 1</c> is entered with
/// PyTorch's <c>step(0)</c>, which sets the rate from its closed formula at its epoch 0 (for <see cref="LinearLR"/>
/// <c>base * startFactor</c>, for the others the base rate: <see cref="CosineAnnealingLR"/> gives
/// <c>etaMin + (base - etaMin)</c>, which may differ from the base rate in the last bit), and it then goes on recursively from
/// there. So each schedule runs from the base rate, not from where the one before ended: a <see cref="LinearLR"/> warmup
/// whose <c>totalIters</c> is longer than its milestone jumps to the base rate at the milestone.
/// </para>
/// <para>
/// The schedules held are only settings: this schedule keeps the state, and their own <see cref="LearningRateSchedule.Unit"/>
/// is ignored. They are <see cref="StepLR"/>, <see cref="ExponentialLR"/>, <see cref="CosineAnnealingLR"/> or
/// <see cref="LinearLR"/> (PyTorch's SequentialLR holds neither a ReduceLROnPlateau nor another SequentialLR).
/// </para>
/// </remarks>
public sealed class SequentialLR : LearningRateSchedule
{
    private readonly LearningRateSchedule[] _schedules;
    private readonly int[] _milestones;

    /// <summary>Creates the schedule with PyTorch's settings.</summary>
    /// <param name="schedules">One or more schedules: <see cref="StepLR"/>, <see cref="ExponentialLR"/>, <see cref="CosineAnnealingLR"/>, <see cref="LinearLR"/>.</param>
    /// <param name="milestones">Where each schedule after the first begins: one fewer than the schedules, increasing, each 1 or more.</param>
    public SequentialLR(IReadOnlyList<LearningRateSchedule> schedules, IReadOnlyList<int> milestones)
    {
        ArgumentNullException.ThrowIfNull(schedules);
        ArgumentNullException.ThrowIfNull(milestones);
        if (schedules.Count == 0) throw new ArgumentException("A sequence needs one schedule or more.", nameof(schedules));
        for (int i = 0; i < schedules.Count; i++)
        {
            LearningRateSchedule? schedule = schedules[i];
            if (schedule is null) throw new ArgumentException($"Schedule {i} is null.", nameof(schedules));
            if (!schedule.IsChainable)
                throw new ArgumentException($"Schedule {i} ({schedule.Describe()}) cannot be part of a sequence: it is not a StepLR, ExponentialLR, CosineAnnealingLR or LinearLR.", nameof(schedules));
        }
        if (milestones.Count != schedules.Count - 1)
            throw new ArgumentException($"{schedules.Count} schedules need {schedules.Count - 1} milestones; got {milestones.Count}.", nameof(milestones));
        for (int i = 0; i < milestones.Count; i++)
        {
            int previous = i == 0 ? 0 : milestones[i - 1];
            if (milestones[i] <= previous)
                throw new ArgumentOutOfRangeException(nameof(milestones), milestones[i], "Milestones must be 1 or more and increasing.");
        }
        _schedules = schedules.ToArray();
        _milestones = milestones.ToArray();
    }

    /// <summary>
    /// Linear warmup then cosine annealing, advanced once per optimizer step (<see cref="ScheduleUnit.Step"/>): PyTorch's
    /// <c>SequentialLR([LinearLR(startFactor, 1, warmupSteps), CosineAnnealingLR(totalSteps - warmupSteps, etaMin)], [warmupSteps])</c>.
    /// The rate climbs from <c>base * startFactor</c> to the base rate at step <paramref name="warmupSteps"/>, then falls to
    /// <paramref name="etaMin"/> at step <paramref name="totalSteps"/>.
    /// </summary>
    /// <param name="warmupSteps">Steps of warmup: 1 or more.</param>
    /// <param name="totalSteps">All steps of the run: more than <paramref name="warmupSteps"/>.</param>
    /// <param name="startFactor">The rate's factor at step 0: more than 0, at most 1 (LinearLR's default 1/3).</param>
    /// <param name="etaMin">The rate at the end: finite, 0 or more.</param>
    public static SequentialLR WarmupCosine(int warmupSteps, int totalSteps, double startFactor = 1.0 / 3, double etaMin = 0)
    {
        if (warmupSteps < 1) throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps, "The warmup takes 1 step or more.");
        if (totalSteps <= warmupSteps)
            throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, $"The total steps must be more than the {warmupSteps} warmup steps.");
        return new SequentialLR(
            new LearningRateSchedule[] { new LinearLR(startFactor, 1.0, warmupSteps), new CosineAnnealingLR(totalSteps - warmupSteps, etaMin) },
            new[] { warmupSteps })
        {
            Unit = ScheduleUnit.Step,
        };
    }

    /// <summary>The schedules in order (settings only).</summary>
    public IReadOnlyList<LearningRateSchedule> Schedules => _schedules;

    /// <summary>Where each schedule after the first begins (PyTorch's <c>milestones</c>).</summary>
    public IReadOnlyList<int> Milestones => _milestones;

    /// <inheritdoc/>
    public override string Describe() =>
        $"sequential_lr(schedulers=[{string.Join(", ", _schedules.Select(s => s.Describe()))}], milestones=[{string.Join(", ", _milestones)}])";

    private protected override string Name => "sequential_lr";

    // State: the base rate, this schedule's last_epoch and the optimizer's rate (base class). The active schedule's own
    // last_epoch follows from them: last_epoch minus the milestone where it began. The others' do not matter (those before
    // are done; one after is reset by step(0) when entered).

    private protected override void StartCore(double baseRate)
    {
        // SequentialLR.__init__: lr = initial_lr, then the first scheduler's _initial_step() (its get_lr at epoch 0).
        BaseRate = baseRate;
        Epoch = 0;
        Rate = _schedules[0].ChainedRate(0, baseRate, baseRate);
    }

    private protected override void AdvanceCore(double metric)
    {
        // SequentialLR.step(): idx = bisect_right(milestones, last_epoch); at a milestone scheduler.step(0), else step().
        Epoch++;
        int index = 0;
        while (index < _milestones.Length && _milestones[index] <= Epoch) index++;
        LearningRateSchedule schedule = _schedules[index];
        long begin = index == 0 ? 0 : _milestones[index - 1];
        Rate = Epoch == begin && index > 0
            ? schedule.ClosedFormRate(0, BaseRate)
            : schedule.ChainedRate(Epoch - begin, Rate, BaseRate);
    }
}
