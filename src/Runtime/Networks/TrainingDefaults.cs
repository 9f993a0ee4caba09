namespace NetGen;

/// <summary>The training settings a network's spec gives (<c>"training"</c> in nets.json).</summary>
/// <param name="BatchSize">Rows per optimizer step.</param>
/// <param name="Epochs">Passes over the training set.</param>
/// <param name="Seed">Seed of initialization and shuffling.</param>
public readonly record struct TrainingDefaults(int BatchSize, int Epochs, int Seed);
