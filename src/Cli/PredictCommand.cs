using System;
using System.Globalization;
using System.Linq;

namespace NetGen.Cli;

/// <summary>
/// <c>predict</c>: classifies digit images with a saved model; one line per image,
/// <c>IMAGE: 7 (0.981), 1 (0.012), 2 (0.004)</c> (the three likeliest classes with their probabilities).
/// A bad image gets an <c>error:</c> line on standard error, the others are still classified, and the exit code is 1.
/// </summary>
internal static class PredictCommand
{
    private const int Shown = 3;

    public static int Run(PredictSettings settings, CliContext context)
    {
        DataFiles.CheckModelExists(settings.Load, "--load");
        using INetwork network = Networks.Create(Networks.For(settings.Net, settings.Load, context.DefaultNetwork));
        Networks.Load(settings.Load, network);
        var terminal = new Terminal(context.Out, context.Live);
        int exitCode = ExitCodes.Ok;
        foreach (string path in settings.Images)
        {
            float[] pixels;
            try
            {
                pixels = Inputs.Read(path, () => DigitImage.Load(path));
            }
            catch (DataFormatException e)
            {
                exitCode = CliCommands.Fail(context, e.Message.Contains(path, StringComparison.Ordinal) ? e.Message : $"{path}: {e.Problem}", ExitCodes.BadInput);
                continue;
            }
            if (pixels.Length != network.InputSize)
            {
                exitCode = CliCommands.Fail(context, $"{path}: the image gives {pixels.Length} inputs but network \"{network.NetworkName}\" takes {network.InputSize}", ExitCodes.BadInput);
                continue;
            }
            terminal.Line(Line(path, network.Probabilities(pixels)));
        }
        return exitCode;
    }

    /// <summary><c>IMAGE: 7 (0.981), 1 (0.012), 2 (0.004)</c>: the likeliest classes first (ties by class).</summary>
    internal static string Line(string image, float[] probabilities)
    {
        var top = Enumerable.Range(0, probabilities.Length)
            .OrderByDescending(c => probabilities[c]).ThenBy(c => c)
            .Take(Shown)
            .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c} ({probabilities[c]:F3})"));
        return $"{image}: {string.Join(", ", top)}";
    }
}
