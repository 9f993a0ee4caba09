namespace NetGen.Mnist;

/// <summary>What <c>eval</c> was asked to do.</summary>
internal sealed record EvalSettings(string Load, string? Net, string? Data, string? Plot);
