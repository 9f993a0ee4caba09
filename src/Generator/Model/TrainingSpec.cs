namespace NetGen.Generator.Model;

/// <summary>Training defaults the runtime uses unless the user overrides them.</summary>
internal sealed record TrainingSpec(int BatchSize, int Epochs, int Seed);
