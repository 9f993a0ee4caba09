namespace NetGen.Cli;

/// <summary>What <c>train</c> was asked to do; null values come from nets.json (or, when resuming, from the checkpoint).</summary>
internal sealed record TrainSettings(
    string? Net,
    string? Data,
    int? TrainImages,
    int? Epochs,
    int? BatchSize,
    float? LearningRate,
    int? Seed,
    int? Threads,
    string? Save,
    string? Resume,
    string? Plot,
    string? Metrics)
{
    /// <summary>The label or target column(s) of a CSV file (--label), comma-separated.</summary>
    public string? Label { get; init; }

    /// <summary>A CSV file of validation rows (--validation).</summary>
    public string? Validation { get; init; }

    /// <summary>The fraction of the training rows held out for validation (--validation-split).</summary>
    public double? ValidationSplit { get; init; }

    /// <summary>Early stopping's patience in epochs (--patience).</summary>
    public int? Patience { get; init; }

    /// <summary>A CSV file of test rows, evaluated once at the end (--test).</summary>
    public string? Test { get; init; }

    /// <summary>Where to save the model of the best epoch so far (--save-best).</summary>
    public string? SaveBest { get; init; }

    /// <summary>The learning-rate schedule (--schedule TYPE[:NAME=VALUE,...]).</summary>
    public string? Schedule { get; init; }

    /// <summary>Clips the gradients to this global norm before each step (--clip-grad-norm).</summary>
    public double? ClipNorm { get; init; }

    /// <summary>Whether to leave a CSV file's features unstandardized (--no-standardize).</summary>
    public bool NoStandardize { get; init; }
}
