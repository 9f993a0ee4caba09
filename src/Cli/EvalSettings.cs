namespace NetGen.Cli;

/// <summary>What <c>eval</c> was asked to do.</summary>
internal sealed record EvalSettings(string Load, string? Net, string? Data, string? Plot)
{
    /// <summary>The label or target column(s) of a CSV file (--label); by default the model's.</summary>
    public string? Label { get; init; }
}
