namespace NetGen.Cli;

/// <summary>A file named on the command line, with the option that named it (<c>--save model.safetensors</c>); a null path: not given.</summary>
internal sealed record FileOption(string Option, string? Path);
