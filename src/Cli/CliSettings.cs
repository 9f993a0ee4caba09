using System.IO;
using System.Threading;

namespace NetGen.Cli;

/// <summary>How <see cref="NetGenCli.Run(string[], CliSettings)"/> runs: every property has a default.</summary>
public sealed class CliSettings
{
    /// <summary>The program's name in help, usage lines and examples. Default (null): the entry assembly's name.</summary>
    public string? ProgramName { get; init; }

    /// <summary>
    /// The network used without <c>--net</c> (and for a model file that does not say which network it was saved from).
    /// Default (null): the only network of the program if it has one, else the first by name in ordinal order.
    /// </summary>
    public string? DefaultNetwork { get; init; }

    /// <summary>
    /// Standard output. Default (null): the console, with live progress bars and tables when it is a terminal (not
    /// redirected, no <c>CI</c> environment variable). A writer given here gets plain lines.
    /// </summary>
    public TextWriter? Out { get; init; }

    /// <summary>Standard error: <c>error:</c> lines and usage errors. Default (null): the console's.</summary>
    public TextWriter? Error { get; init; }

    /// <summary>
    /// Stops training as Ctrl+C does (after the current step, saving a checkpoint with <c>--save</c>; exit code 130). Ctrl+C
    /// stops it too in either case.
    /// </summary>
    public CancellationToken CancellationToken { get; init; }
}
