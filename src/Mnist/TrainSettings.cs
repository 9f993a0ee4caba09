namespace NetGen.Mnist;

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
    string? Metrics);
