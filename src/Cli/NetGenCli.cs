using System;
using System.Collections.Generic;
using System.Reflection;
using System.Threading;
using Spectre.Console;

namespace NetGen.Cli;

/// <summary>
/// The NetGen command line (<c>train</c>, the default; <c>eval</c>, <c>predict</c>, <c>export</c>; <c>--help</c> on each)
/// for every network of the program, as the NetGen generator registers them (<see cref="NetworkRegistry"/>): a console
/// project's Program.cs is <c>return NetGen.Cli.NetGenCli.Run(args);</c>.
/// </summary>
/// <remarks>
/// Exit codes: 0 done, 1 bad input or usage, 2 failure during training, 130 stopped with Ctrl+C. Every error is one
/// <c>error:</c> line on standard error.
/// </remarks>
public static class NetGenCli
{
    /// <summary>Runs the command line <paramref name="args"/> on the console with the default <see cref="CliSettings"/>.</summary>
    /// <param name="args">The command line, without the program name.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args) => Run(args, new CliSettings());

    /// <summary>Runs the command line <paramref name="args"/> as <paramref name="settings"/> say.</summary>
    /// <param name="args">The command line, without the program name.</param>
    /// <param name="settings">The program's name, its default network, its writers and a cancellation token.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args, CliSettings settings)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(settings);
        string program = settings.ProgramName ?? Assembly.GetEntryAssembly()?.GetName().Name ?? "netgen";
        System.IO.TextWriter stdout = settings.Out ?? Console.Out;
        System.IO.TextWriter stderr = settings.Error ?? Console.Error;
        IAnsiConsole? live = settings.Out is null && !CliCommands.PlainOutputWanted() ? AnsiConsole.Console : null;

        IReadOnlyList<string> names = NetworkRegistry.Names;
        string? defaultNetwork = settings.DefaultNetwork ?? (names.Count > 0 ? names[0] : null);
        var problem = new CliContext(stdout, stderr, null, CancellationToken.None) { ProgramName = program };
        if (names.Count == 0)
            return CliCommands.Fail(problem, $"{program} has no networks: give a class [NetGen.Network(\"name\")] or the assembly [assembly: NetGen.NetworkCatalog] (the NetGen package's generator registers them)", ExitCodes.BadInput);
        if (!System.Linq.Enumerable.Contains(names, defaultNetwork))
            return CliCommands.Fail(problem, $"the default network \"{defaultNetwork}\" is not one of {program}'s networks: {string.Join(", ", names)}", ExitCodes.BadInput);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(settings.CancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // The first Ctrl+C stops training after the current step (saving a checkpoint with --save); a second one ends the program at once.
            if (stop.IsCancellationRequested) return;
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return CliCommands.Run(args, new CliContext(stdout, stderr, live, stop.Token) { ProgramName = program, DefaultNetwork = defaultNetwork! });
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
