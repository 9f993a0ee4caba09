namespace NetGen.Cli;

/// <summary>What <c>predict</c> was asked to do.</summary>
internal sealed record PredictSettings(string Load, string? Net, string[] Images)
{
    /// <summary>A CSV file of rows to predict (--csv), one line each.</summary>
    public string? Csv { get; init; }
}
