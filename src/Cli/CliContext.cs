using System;
using System.IO;
using System.Threading;
using Spectre.Console;

namespace NetGen.Cli;

/// <summary>Where a command writes and what it listens to.</summary>
/// <param name="Out">Standard output (plain mode).</param>
/// <param name="Error">Standard error: <c>error:</c> lines.</param>
/// <param name="Live">The Spectre console for live progress bars and tables, or null for plain lines.</param>
/// <param name="Cancellation">Cancelled by Ctrl+C: training stops after the current step.</param>
/// <param name="OnStep">Called after every training step (tests use it to stop a run at a chosen step).</param>
internal sealed record CliContext(TextWriter Out, TextWriter Error, IAnsiConsole? Live, CancellationToken Cancellation, Action<StepProgress>? OnStep = null)
{
    /// <summary>The program's name in help, usage lines and examples (<see cref="CliSettings.ProgramName"/>).</summary>
    public string ProgramName { get; init; } = "netgen";

    /// <summary>The network used without --net, and for a model file that does not name one of this program's networks.</summary>
    public string DefaultNetwork { get; init; } = "";
}
