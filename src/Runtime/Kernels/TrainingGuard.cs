using System;
using System.ComponentModel;
using System.Threading;

namespace NetGen.Kernels;

/// <summary>
/// Catches a network used from two threads at once where that is not allowed: its training calls change it, so they
/// must not overlap with each other, nor with <c>Forward</c>. One interlocked exchange per call, nothing per value.
/// Generated networks call this; it is public for them.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public ref struct TrainingGuard
{
    /// <summary>What a caller who breaks the rule reads.</summary>
    public const string Rule =
        "TrainStep, ComputeGradients and OptimizerStep change the network, so they must not run at the same time as each other or as " +
        "Forward and Predict: another call on this network has not returned yet. Call them from one thread at a time.";

    private readonly ref int _busy;

    private TrainingGuard(ref int busy) => _busy = ref busy;

    /// <summary>Marks the network busy for a training call; throws if another call has it busy.</summary>
    /// <param name="busy">The network's flag: 0 when idle.</param>
    /// <exception cref="InvalidOperationException">A training call on this network is running on another thread.</exception>
    public static TrainingGuard Enter(ref int busy)
    {
        if (Interlocked.Exchange(ref busy, 1) != 0) throw new InvalidOperationException(Rule);
        return new TrainingGuard(ref busy);
    }

    /// <summary>Throws if a training call is running: a forward pass now would read weights half updated.</summary>
    /// <param name="busy">The network's flag.</param>
    /// <exception cref="InvalidOperationException">A training call on this network is running on another thread.</exception>
    public static void CheckIdle(ref int busy)
    {
        if (Volatile.Read(ref busy) != 0) throw new InvalidOperationException(Rule);
    }

    /// <summary>Marks the network idle again.</summary>
    public readonly void Dispose() => Volatile.Write(ref _busy, 0);
}
