using System;
using System.Globalization;

namespace NetGen;

/// <summary>When a training loop calls <see cref="LearningRateSchedule.Advance"/>.</summary>
public enum ScheduleUnit
{
    /// <summary>Once after every epoch (PyTorch's usual <c>scheduler.step()</c> at the end of an epoch).</summary>
    Epoch = 0,

    /// <summary>Once after every optimizer step (warmup schedules).</summary>
    Step = 1,
}

/// <summary>
/// A learning-rate schedule as PyTorch's <c>torch.optim.lr_scheduler</c> computes it (torch 1.13): the same settings, defaults
/// and arithmetic, in double, so the rates agree with PyTorch's to the last bits or nearly (tests compare them with sequences
/// recorded from PyTorch).
/// </summary>
/// <remarks>
/// <para>
/// Use: <see cref="Start"/> with the optimizer's initial rate; before each optimizer step set the network's
/// <see cref="INetwork.LearningRate"/> to <c>(float)</c><see cref="Rate"/>; after each epoch or step (as <see cref="Unit"/>
/// says) call <see cref="Advance"/>. That is PyTorch's order: the scheduler is made (which sets the first rate), then
/// <c>optimizer.step()</c> and <c>scheduler.step()</c> alternate.
/// </para>
/// <para>
/// PyTorch's schedulers (except <c>ReduceLROnPlateau</c>) update the rate recursively from the optimizer's current rate
/// (their "chainable" <c>get_lr()</c>), not from a closed formula; these classes do the same recursion, so the rounding of
/// each step is PyTorch's. The settings are fixed at construction; the state (<see cref="GetState"/>) is a few numbers, so a
/// run continues bit for bit from a checkpoint.
/// </para>
/// <para>Not thread-safe: one training loop owns a schedule.</para>
/// </remarks>
public abstract class LearningRateSchedule
{
    private readonly ScheduleUnit _unit;
    private bool _started;

    // Subclasses live in this assembly only (their arithmetic must be PyTorch's, checked by its tests).
    private protected LearningRateSchedule()
    {
    }

    /// <summary>
    /// When the training loop calls <see cref="Advance"/>: after each <see cref="ScheduleUnit.Epoch"/> (the default) or each
    /// optimizer <see cref="ScheduleUnit.Step"/>. Settings such as a step size or <c>tMax</c> count these units.
    /// </summary>
    public ScheduleUnit Unit
    {
        get => _unit;
        init
        {
            if (!Enum.IsDefined(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "The unit is Epoch or Step.");
            if (value != ScheduleUnit.Epoch && EpochOnly)
                throw new ArgumentOutOfRangeException(nameof(value), value, $"{GetType().Name} is advanced once per epoch, with the validation loss.");
            _unit = value;
        }
    }

    /// <summary>The rate for the next optimizer step; <see cref="double.NaN"/> before <see cref="Start"/> (or <see cref="SetState"/>).</summary>
    public double Rate { get; private protected set; } = double.NaN;

    /// <summary>
    /// Starts (or restarts) the schedule at epoch (or step) 0 from the optimizer's initial rate, as constructing the PyTorch
    /// scheduler does; <see cref="Rate"/> is then the first step's rate (for <see cref="LinearLR"/>, already
    /// <paramref name="baseRate"/> times its start factor).
    /// </summary>
    /// <param name="baseRate">The optimizer's initial learning rate (PyTorch's <c>initial_lr</c>): finite, 0 or more.</param>
    public void Start(double baseRate)
    {
        if (!double.IsFinite(baseRate) || baseRate < 0)
            throw new ArgumentOutOfRangeException(nameof(baseRate), baseRate, "The base rate must be finite and 0 or more.");
        StartCore(baseRate);
        _started = true;
    }

    /// <summary>
    /// One epoch or step (as <see cref="Unit"/> says) is over: moves <see cref="Rate"/> on, like PyTorch's <c>scheduler.step()</c>.
    /// </summary>
    /// <param name="metric">
    /// The validation loss of the epoch just ended (or whatever <see cref="ReduceLROnPlateau"/> watches). Only
    /// <see cref="ReduceLROnPlateau"/> uses it, and requires it; the others ignore it.
    /// </param>
    public void Advance(double metric = double.NaN)
    {
        if (!_started) throw new InvalidOperationException("Start the schedule (or restore its state) before advancing it.");
        AdvanceCore(metric);
    }

    /// <summary>
    /// The schedule's state: with <see cref="SetState"/> on a schedule constructed with the same settings it continues exactly
    /// (bit for bit) where this one stands. The numbers are exact in double (counters are small integers).
    /// </summary>
    public double[] GetState()
    {
        if (!_started) throw new InvalidOperationException("A schedule has no state before it is started.");
        var state = new double[StateLength];
        WriteState(state);
        return state;
    }

    /// <summary>
    /// Restores a state from <see cref="GetState"/> of a schedule with the same settings (instead of <see cref="Start"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The state has the wrong length or holds impossible values (e.g. a negative counter).</exception>
    public void SetState(ReadOnlySpan<double> state)
    {
        if (state.Length != StateLength)
            throw new ArgumentException($"A {Name} state has {StateLength} numbers; got {state.Length}.", nameof(state));
        ReadState(state);
        _started = true;
    }

    /// <summary>The schedule and its settings for a log, in PyTorch's terms, e.g. <c>step_lr(step_size=30, gamma=0.1)</c>.</summary>
    public abstract string Describe();

    /// <inheritdoc cref="Describe"/>
    public override string ToString() => Describe();

    /// <summary>Short name for messages (<c>step_lr</c>, ...).</summary>
    private protected abstract string Name { get; }

    /// <summary>Whether only <see cref="ScheduleUnit.Epoch"/> makes sense (a schedule fed a per-epoch metric).</summary>
    private protected virtual bool EpochOnly => false;

    // ---- The chainable schedules (StepLR, ExponentialLR, CosineAnnealingLR, LinearLR): PyTorch's _LRScheduler. ----
    // State: the base rate (initial_lr), last_epoch and the optimizer's current rate. ReduceLROnPlateau and SequentialLR
    // override the four members below.

    /// <summary>PyTorch's <c>initial_lr</c>.</summary>
    private protected double BaseRate { get; set; }

    /// <summary>PyTorch's <c>last_epoch</c>: advances made since <see cref="Start"/>.</summary>
    private protected long Epoch { get; set; }

    private protected virtual int StateLength => 3;

    private protected virtual void StartCore(double baseRate)
    {
        // The scheduler's constructor: initial_lr = lr, then _initial_step() (last_epoch -1 -> 0, lr = get_lr()).
        BaseRate = baseRate;
        Epoch = 0;
        Rate = ChainedRate(0, baseRate, baseRate);
    }

    private protected virtual void AdvanceCore(double metric)
    {
        // step(): last_epoch += 1, lr = get_lr() (recursive, from the optimizer's current lr).
        Epoch++;
        Rate = ChainedRate(Epoch, Rate, BaseRate);
    }

    private protected virtual void WriteState(Span<double> state)
    {
        state[0] = BaseRate;
        state[1] = Epoch;
        state[2] = Rate;
    }

    private protected virtual void ReadState(ReadOnlySpan<double> state)
    {
        double baseRate = state[0], epoch = state[1], rate = state[2];
        if (!double.IsFinite(baseRate) || baseRate < 0) throw BadState("base rate", baseRate);
        if (!IsCount(epoch)) throw BadState("epoch", epoch);
        if (!double.IsFinite(rate)) throw BadState("rate", rate);
        BaseRate = baseRate;
        Epoch = (long)epoch;
        Rate = rate;
    }

    /// <summary>
    /// PyTorch's <c>get_lr()</c>: the rate after stepping to <paramref name="epoch"/> (<c>last_epoch</c>) when the optimizer's
    /// rate is <paramref name="current"/> (<c>group['lr']</c>) and its initial rate <paramref name="baseRate"/>.
    /// </summary>
    internal virtual double ChainedRate(long epoch, double current, double baseRate) =>
        throw new NotSupportedException($"{Name} is not a chainable schedule.");

    /// <summary>PyTorch's <c>_get_closed_form_lr()</c> (what <c>step(epoch)</c> uses, as SequentialLR does at a milestone).</summary>
    internal virtual double ClosedFormRate(long epoch, double baseRate) =>
        throw new NotSupportedException($"{Name} is not a chainable schedule.");

    /// <summary>Whether <see cref="ChainedRate"/> and <see cref="ClosedFormRate"/> exist (a schedule SequentialLR can hold).</summary>
    internal virtual bool IsChainable => false;

    // ---- Helpers. ----

    /// <summary>A whole number from 0 to 2^53 (a counter kept in a double).</summary>
    private protected static bool IsCount(double value) => value >= 0 && value <= 9007199254740992.0 && Math.Floor(value) == value;

    private protected ArgumentException BadState(string what, double value) =>
        new($"A {Name} state cannot have {what} {Format(value)}.", "state");

    /// <summary>A number as PyTorch's settings print it in <see cref="Describe"/> (shortest round-trip form).</summary>
    private protected static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture).Replace('E', 'e');

    /// <summary>Python's <c>a % b</c> for <paramref name="b"/> &gt; 0: the result is 0 or more.</summary>
    private protected static long FloorMod(long a, long b)
    {
        long r = a % b;
        return r < 0 ? r + b : r;
    }
}
