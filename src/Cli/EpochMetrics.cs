namespace NetGen.Cli;

/// <summary>One epoch of a training run as the program reports it (table, --metrics, --plot).</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Loss">Mean batch loss of the epoch.</param>
/// <param name="Seconds">Training time of the epoch.</param>
/// <param name="TestAccuracy">Test accuracy in percent after the epoch, if measured.</param>
internal sealed record EpochMetrics(int Epoch, double Loss, double Seconds, double? TestAccuracy);
