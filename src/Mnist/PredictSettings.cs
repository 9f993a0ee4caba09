namespace NetGen.Mnist;

/// <summary>What <c>predict</c> was asked to do.</summary>
internal sealed record PredictSettings(string Load, string? Net, string[] Images);
