using NetGen.Generator.Language;

namespace NetGen.Generator.Model;

/// <summary>Training defaults the runtime uses unless the user overrides them.</summary>
internal sealed record TrainingSpec(int BatchSize, int Epochs, int Seed)
{
    /// <summary><c>validation_split</c>: the fraction of the training rows held out for validation, in (0, 1).</summary>
    public double? ValidationSplit { get; init; }

    /// <summary><c>early_stopping</c>.</summary>
    public EarlyStopping? EarlyStopping { get; init; }

    /// <summary><c>clip_grad_norm</c>: the maximum global L2 norm of the gradients.</summary>
    public double? ClipGradNorm { get; init; }

    /// <summary><c>schedule</c>.</summary>
    public Schedule? Schedule { get; init; }
}
