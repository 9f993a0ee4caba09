using System;

namespace NetGen;

/// <summary>Thrown when a training step's loss is NaN or infinite: the weights are no longer usable.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for <paramref name="loss"/> at a step.</summary>
    public TrainingDivergedException(int epoch, int step, double loss)
        : base(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"the loss became {loss} at epoch {epoch}, step {step}; the weights are no longer usable. Train again with a lower learning rate (--lr)."))
    {
        Epoch = epoch;
        Step = step;
        Loss = loss;
    }

    /// <summary>1-based epoch of the step.</summary>
    public int Epoch { get; }

    /// <summary>1-based step within the epoch.</summary>
    public int Step { get; }

    /// <summary>The loss that was not finite.</summary>
    public double Loss { get; }
}
