using System.Globalization;

namespace NetGen.Cli;

/// <summary>
/// <c>eval</c>: loads a model file (ours or PyTorch's) into the chosen network and evaluates it on the MNIST test set:
/// confusion matrix, per-class precision and recall, optionally the misclassified images (--plot), then the accuracy line.
/// </summary>
internal static class EvalCommand
{
    public static int Run(EvalSettings settings, CliContext context)
    {
        DataFiles.CheckModelExists(settings.Load, "--load");
        using RunFiles files = RunFiles.Claim([new("--plot", settings.Plot)], load: new("--load", settings.Load));
        string directory = DataFiles.Directory(settings.Data);
        ImageDataset test = Inputs.Read(directory, () => MnistData.LoadTest(directory), "the MNIST test files in it");
        using INetwork network = Networks.Create(Networks.For(settings.Net, settings.Load, context.DefaultNetwork));
        DataFiles.CheckFits(network, test, directory, MnistData.TestImagesName);
        Checkpoint checkpoint = Networks.Load(settings.Load, network);

        var terminal = new Terminal(context.Out, context.Live);
        terminal.Line(string.Create(CultureInfo.InvariantCulture,
            $"Evaluating \"{network.NetworkName}\" from {settings.Load} ({Describe(checkpoint, settings.Load)}) on {test.Count} test images"));
        EvaluationResult result = Evaluator.Evaluate(network, test);
        terminal.Evaluation(result);
        if (settings.Plot is not null)
        {
            Charts.SaveMisclassified(settings.Plot, test, result.Predictions);
            terminal.Line($"Drew the misclassified test images ({result.Total - result.Correct}, at most 100 shown) to {settings.Plot}.");
        }
        terminal.Line(result.ToString());
        return ExitCodes.Ok;
    }

    /// <summary>What the file <paramref name="path"/> says about itself.</summary>
    internal static string Describe(Checkpoint checkpoint, string path)
    {
        if (Networks.IsOnnx(path)) return checkpoint.NetworkName is null ? "an ONNX file without NetGen's metadata, e.g. from torch.onnx.export" : "an ONNX file NetGen exported";
        if (checkpoint.NetworkName is null) return "weights only, no NetGen metadata, e.g. from PyTorch";
        if (checkpoint.Position is not TrainingPosition position) return "saved without a training position";
        return position.StepInEpoch == 0
            ? string.Create(CultureInfo.InvariantCulture, $"trained for {position.Epoch - 1} epoch{(position.Epoch == 2 ? "" : "s")}")
            : string.Create(CultureInfo.InvariantCulture, $"stopped at epoch {position.Epoch}, step {position.StepInEpoch}");
    }
}
