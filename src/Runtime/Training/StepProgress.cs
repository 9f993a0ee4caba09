namespace NetGen;

/// <summary>Progress after one optimizer step.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Epochs">Epochs in the run.</param>
/// <param name="Step">1-based step within the epoch.</param>
/// <param name="Steps">Steps per epoch.</param>
/// <param name="Loss">This step's batch loss.</param>
/// <param name="MeanLoss">Mean batch loss of the epoch so far (of this run's steps, when resumed mid-epoch).</param>
/// <param name="Position">Where the run stands after this step (for a checkpoint).</param>
public readonly record struct StepProgress(int Epoch, int Epochs, int Step, int Steps, double Loss, double MeanLoss, TrainingPosition Position);
