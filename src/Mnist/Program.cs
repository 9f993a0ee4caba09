using System;
using System.Threading;
using NetGen.Mnist;
using Spectre.Console;

// netgen-mnist: trains, evaluates and runs the networks of nets.json on MNIST (see Cli and `--help`).
// Exit codes: 0 done, 1 bad input or usage, 2 failure during training, 130 stopped with Ctrl+C.

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C stops training after the current step (saving a checkpoint with --save); a second one ends the program at once.
    if (stop.IsCancellationRequested) return;
    e.Cancel = true;
    stop.Cancel();
};
return Cli.Run(args, Console.Out, Console.Error, Cli.PlainOutputWanted() ? null : AnsiConsole.Console, stop.Token);
