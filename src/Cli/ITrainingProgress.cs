namespace NetGen.Cli;

/// <summary>Receives training progress: every step and every finished epoch.</summary>
internal interface ITrainingProgress
{
    void Step(in StepProgress progress);

    void EpochDone(EpochResult epoch, EvaluationResult test);
}
