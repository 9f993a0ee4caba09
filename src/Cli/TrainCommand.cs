using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace NetGen.Cli;

/// <summary>
/// <c>train</c>: trains a network on MNIST, evaluating it on the test set after every epoch; saves checkpoints (--save),
/// continues a saved run (--resume), writes metrics (--metrics) and training curves (--plot); ends with the accuracy line.
/// </summary>
internal static class TrainCommand
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static int Run(TrainSettings settings, CliContext context)
    {
        if (settings.Schedule is not null) ScheduleOption.Parse(settings.Schedule); // a bad --schedule is refused before anything runs
        if (TableCommands.IsTable(settings.Data, settings.Label)) return TableCommands.Train(settings, context);
        foreach (var (option, given) in new[] { ("--validation", settings.Validation is not null), ("--test", settings.Test is not null),
            ("--save-best", settings.SaveBest is not null), ("--no-standardize", settings.NoStandardize) })
        {
            if (given) throw new UsageException($"{option} is for CSV data (--data FILE.csv), not MNIST.");
        }
        // Early stopping chooses the epoch on validation images held out of the training set, never on the test set.
        bool validate = settings.Patience is not null || settings.ValidationSplit is not null;
        if (settings.Resume is not null)
        {
            DataFiles.CheckModelExists(settings.Resume, "--resume");
            if (settings.Seed is not null)
                throw new UsageException("--seed cannot be used with --resume: the saved run continues with its own weights and shuffle order.");
        }
        // Before anything else: a second run saving to the same file is refused here, not after its first epoch.
        using RunFiles files = RunFiles.Claim(
            [new("--save", settings.Save), new("--metrics", settings.Metrics), new("--plot", settings.Plot)],
            resume: settings.Resume is null ? null : new("--resume", settings.Resume));

        string directory = DataFiles.Directory(settings.Data);
        var (train, test) = Inputs.Read(directory, () => MnistData.Load(directory), "the MNIST files in it");
        if (settings.TrainImages is int count)
        {
            if (count > train.Count)
            {
                throw new UsageException(string.Create(Invariant,
                    $"--train-images {count}: {MnistData.PathOf(directory, MnistData.TrainImagesName)} holds only {train.Count} images."));
            }
            train = train.Take(count);
        }

        using INetwork network = CreateNetwork(settings, context.DefaultNetwork, out Checkpoint? checkpoint);
        // A checkpoint says how many images its run trained on (--train-images): without the option, --resume goes on with as many.
        int? savedImages = checkpoint?.Position?.TrainingRows;
        // (A run that validated counted the images left after holding some out: it resumes with the --train-images it had.)
        if (settings.TrainImages is null && savedImages is int images && images != train.Count && checkpoint?.Position?.EarlyStopping is null)
        {
            if (images > train.Count)
            {
                throw new UsageException(string.Create(Invariant,
                    $"{settings.Resume}: its run trained on {images} images, but {MnistData.PathOf(directory, MnistData.TrainImagesName)} holds only {train.Count}."));
            }
            train = train.Take(images);
        }
        DataFiles.CheckFits(network, train, directory, MnistData.TrainImagesName);
        DataFiles.CheckFits(network, test, directory, MnistData.TestImagesName);
        // The spec's own validation split or early stopping holds out images as the options do.
        validate |= network.Defaults.ValidationSplit is not null || network.Defaults.Patience is not null;
        IDataset fitTrain = train;
        IDataset? validation = null;
        double fraction = settings.ValidationSplit ?? network.Defaults.ValidationSplit ?? 0.2;
        if (validate) (fitTrain, validation) = Datasets.Split(train, fraction, network.Seed);
        int threads = network.Threads;
        int batchSize = network.MaxBatchSize;
        int stepsPerEpoch = (fitTrain.Count + batchSize - 1) / batchSize;
        int totalEpochs = settings.Epochs ?? network.Defaults.Epochs;

        var terminal = new Terminal(context.Out, context.Live);
        TrainingPosition? resume = null;
        string threadText = $"{threads} thread{(threads == 1 ? "" : "s")}";
        if (checkpoint is not null)
        {
            resume = checkpoint.Position
                ?? throw new UsageException($"{settings.Resume}: has no training position to resume from (a file written by PyTorch, or saved without one); use it with eval or predict, or train anew.");
            if (resume.StepInEpoch > 0 && resume.BatchSize is int saved && saved != batchSize)
            {
                throw new UsageException(string.Create(Invariant,
                    $"{settings.Resume}: stopped at step {resume.StepInEpoch} of epoch {resume.Epoch} in batches of {saved}, so --batch-size {batchSize} cannot continue that epoch (it would train some images twice and skip others): resume with --batch-size {saved}, or without --batch-size."));
            }
            if (resume.StepInEpoch > 0 && resume.TrainingRows is int savedRows && savedRows != fitTrain.Count)
            {
                throw new UsageException(validation is null
                    ? string.Create(Invariant, $"{settings.Resume}: stopped at step {resume.StepInEpoch} of epoch {resume.Epoch} of a run on {savedRows} images, so --train-images {train.Count} cannot continue that epoch (it would train some images twice and skip others): resume with --train-images {savedRows}, or without --train-images.")
                    : string.Create(Invariant, $"{settings.Resume}: stopped at step {resume.StepInEpoch} of epoch {resume.Epoch} of a run on {savedRows} images, so a run on {fitTrain.Count} (after holding out {validation.Count}) cannot continue that epoch: resume with the --train-images and --validation-split of the first run."));
            }
            if (resume.StepInEpoch > stepsPerEpoch)
            {
                throw new UsageException(string.Create(Invariant,
                    $"{settings.Resume}: stopped at step {resume.StepInEpoch} of epoch {resume.Epoch}, but an epoch of {train.Count} images has only {stepsPerEpoch} steps of {batchSize}: resume with the --data and --batch-size of the first run."));
            }
            terminal.Line(string.Create(Invariant,
                $"Resuming \"{network.NetworkName}\" ({network.ParameterCount:N0} parameters) from {settings.Resume} at {Where(resume, stepsPerEpoch)} on {fitTrain.Count} images: to {totalEpochs} epoch{(totalEpochs == 1 ? "" : "s")}, batch {batchSize}, lr {network.LearningRate}, {threadText}"));
            if (resume.Epoch > totalEpochs)
            {
                terminal.Line(string.Create(Invariant,
                    $"{settings.Resume} has already been trained for {resume.Epoch - 1} epoch{(resume.Epoch == 2 ? "" : "s")}, at or past --epochs {totalEpochs}: nothing to train; evaluating it."));
                EvaluationResult done = Evaluator.Evaluate(network, test, threads);
                try
                {
                    if (settings.Metrics is not null) MetricsFile.Write(settings.Metrics, network.NetworkName, [], done.Accuracy);
                }
                catch (IOException e)
                {
                    return CliCommands.Fail(context, e.Message, ExitCodes.TrainingFailed);
                }
                terminal.Line(done.ToString());
                return ExitCodes.Ok;
            }
            if (BatchSizeNote(settings.Resume!, resume, batchSize) is { } note) terminal.Line(note);
        }
        else
        {
            terminal.Line(string.Create(Invariant,
                $"Training \"{network.NetworkName}\" ({network.ParameterCount:N0} parameters) on {fitTrain.Count} images: {totalEpochs} epoch{(totalEpochs == 1 ? "" : "s")}, batch {batchSize}, lr {network.LearningRate}, seed {network.Seed}, {threadText}"));

        }

        if (validation is not null)
        {
            terminal.Line(string.Create(Invariant,
                $"Validation: {validation.Count} training images held out ({fraction:0.###}, seed {network.Seed}, stratified){((settings.Patience ?? network.Defaults.Patience) is int p ? $"; early stopping after {p} epochs without a lower validation loss" : "")}"));
        }
        var epochs = new List<EpochMetrics>();
        EvaluationResult? last = null;
        TrainingPosition? position = null; // after the last step taken in this run
        int stepsTaken = 0;
        try
        {
            terminal.Train(batchSize, progress =>
            {
                var options = new TrainingOptions
                {
                    Epochs = totalEpochs,
                    BatchSize = batchSize,
                    Resume = resume,
                    Patience = settings.Patience,
                    ClipNorm = settings.ClipNorm,
                    Schedule = settings.Schedule is null ? null : ScheduleOption.Parse(settings.Schedule).Create(totalEpochs, stepsPerEpoch),
                    OnStep = step =>
                    {
                        position = step.Position;
                        stepsTaken++;
                        progress.Step(step);
                        context.OnStep?.Invoke(step);
                    },
                };
                FitResult fit = Trainer.Fit(network, fitTrain, validation, options, epoch =>
                {
                    if (epoch.Validation is { } v) terminal.Line($"Epoch {epoch.Epoch}: validation {v}{(epoch.IsBest ? ", best so far" : "")}");
                    last = Evaluator.Evaluate(network, test, threads);
                    epochs.Add(new EpochMetrics(epoch.Epoch, epoch.Loss, epoch.Elapsed.TotalSeconds, last.Accuracy));
                    progress.EpochDone(epoch, last);
                    // After every epoch, so the last one is also the save at the end of the run.
                    if (settings.Save is not null) Save(settings.Save, network, epoch.Position);
                }, context.Cancellation);
                if (fit.BestEpoch is int bestEpoch && (options.Patience ?? network.Defaults.Patience) is not null && (options.RestoreBest ?? network.Defaults.RestoreBest) && bestEpoch != fit.Epochs[^1].Epoch)
                {
                    // The network holds the best epoch's weights again: the test line and the saved model are theirs.
                    terminal.Line(string.Create(Invariant, $"{(fit.StoppedEarly ? "Stopped early; " : "")}kept the weights of epoch {bestEpoch}, the lowest validation loss"));
                    last = Evaluator.Evaluate(network, test, threads);
                    if (settings.Save is not null) Save(settings.Save, network, fit.Epochs[^1].Position);
                }
                return fit.Epochs;
            });
        }
        catch (TrainingDivergedException e)
        {
            string kept = settings.Save is null ? ""
                : File.Exists(settings.Save) ? $" {settings.Save} was left as it was (the last good checkpoint)."
                : $" Nothing was saved to {settings.Save}.";
            return CliCommands.Fail(context, $"training diverged: {e.Message}{kept}", ExitCodes.TrainingFailed);
        }
        catch (OperationCanceledException) when (context.Cancellation.IsCancellationRequested)
        {
            return Interrupted(settings, context, terminal, network, epochs, last, position, stepsTaken, stepsPerEpoch, totalEpochs);
        }
        catch (OutputWriteException e)
        {
            return CliCommands.Fail(context, e.Message, ExitCodes.TrainingFailed);
        }

        terminal.EpochTable(epochs);
        if (settings.Save is not null) terminal.Line($"Saved {settings.Save} ({Where(position!, stepsPerEpoch)}).");
        try
        {
            WriteReports(settings, terminal, network, epochs, last);
        }
        catch (OutputWriteException e)
        {
            return CliCommands.Fail(context, e.Message, ExitCodes.TrainingFailed);
        }
        terminal.Line(last!.ToString());
        return ExitCodes.Ok;
    }

    /// <summary>The validation options a resumed run needs again (" --patience 2 --validation-split 0.1"), or "".</summary>
    private static string ValidationOptions(TrainSettings settings) =>
        (settings.Patience is int p ? string.Create(Invariant, $" --patience {p}") : "") +
        (settings.ValidationSplit is double f ? string.Create(Invariant, $" --validation-split {f}") : "");

    /// <summary>
    /// What to say when a checkpoint continues with a batch size it was not trained with, or did not save its own (a file
    /// of an earlier version); null if it says its own and that is the one used. A mismatch mid-epoch is refused before.
    /// </summary>
    private static string? BatchSizeNote(string file, TrainingPosition resume, int batchSize)
    {
        if (resume.BatchSize is not int saved)
        {
            return resume.StepInEpoch == 0
                ? string.Create(Invariant, $"Note: {file} does not say its batch size (saved by an earlier version); training goes on in batches of {batchSize}.")
                : string.Create(Invariant, $"Note: {file} does not say its batch size (saved by an earlier version); epoch {resume.Epoch} goes on in batches of {batchSize}, which continues it exactly only if the first run used --batch-size {batchSize}.");
        }
        return saved == batchSize ? null
            : string.Create(Invariant, $"Note: {file} was trained in batches of {saved}; from epoch {resume.Epoch} on, batches of {batchSize} (--batch-size).");
    }

    /// <summary>Ctrl+C: the current step has finished; save where the run stands, so --resume continues exactly.</summary>
    private static int Interrupted(TrainSettings settings, CliContext context, Terminal terminal, INetwork network,
        List<EpochMetrics> epochs, EvaluationResult? last, TrainingPosition? position, int stepsTaken, int stepsPerEpoch, int totalEpochs)
    {
        terminal.EpochTable(epochs);
        if (stepsTaken == 0 || position is null)
        {
            terminal.Line("Stopped (Ctrl+C) before the first step; nothing was saved.");
            return ExitCodes.Interrupted;
        }
        string where = Where(position, stepsPerEpoch);
        if (settings.Save is not null)
        {
            try
            {
                Save(settings.Save, network, position);
            }
            catch (OutputWriteException e)
            {
                return CliCommands.Fail(context, e.Message, ExitCodes.TrainingFailed);
            }
            terminal.Line(string.Create(Invariant,
                $"Stopped (Ctrl+C) at {where}; saved {settings.Save}. Continue with: train --resume {settings.Save} --epochs {totalEpochs}{ValidationOptions(settings)} --save {settings.Save}"));
        }
        else
        {
            terminal.Line($"Stopped (Ctrl+C) at {where}; nothing was saved (no --save).");
        }
        try
        {
            if (epochs.Count > 0) WriteReports(settings, terminal, network, epochs, last);
        }
        catch (OutputWriteException e)
        {
            return CliCommands.Fail(context, e.Message, ExitCodes.TrainingFailed);
        }
        return ExitCodes.Interrupted;
    }

    /// <summary>Writes --metrics and --plot (each completely or not at all); a failure is an <see cref="OutputWriteException"/>.</summary>
    private static void WriteReports(TrainSettings settings, Terminal terminal, INetwork network, List<EpochMetrics> epochs, EvaluationResult? last)
    {
        try
        {
            if (settings.Metrics is not null)
            {
                MetricsFile.Write(settings.Metrics, network.NetworkName, epochs, last?.Accuracy);
                terminal.Line($"Wrote metrics to {settings.Metrics}.");
            }
            if (settings.Plot is not null)
            {
                Charts.SaveTrainingCurves(settings.Plot, epochs);
                terminal.Line($"Drew the training curves to {settings.Plot}.");
            }
        }
        catch (IOException e)
        {
            throw new OutputWriteException(e.Message, e); // "path: cannot write: problem"
        }
    }

    /// <summary>
    /// The network to train: a new one from the options and nets.json, or, with --resume, one made to continue the saved
    /// run (its seed, and its learning rate and thread count unless given) and loaded from it; the file is opened and its
    /// tensors read once. <paramref name="checkpoint"/> is what the file says, or null without --resume.
    /// </summary>
    private static INetwork CreateNetwork(TrainSettings settings, string defaultNetwork, out Checkpoint? checkpoint)
    {
        if (settings.Resume is null)
        {
            checkpoint = null;
            INetwork fresh = Networks.Create(settings.Net ?? defaultNetwork, settings.Seed, settings.BatchSize, settings.Threads ?? 1);
            if (settings.LearningRate is float lr) fresh.LearningRate = lr;
            return fresh;
        }

        string path = settings.Resume;
        using ModelFileReader file = Inputs.Read(path, () => ModelFile.OpenRead(path));
        Checkpoint saved = file.Checkpoint;
        // A saved value this program would refuse as an option (threads above --threads' limit, a rate of 0) is not taken.
        int threads = settings.Threads ?? (saved.Threads is int t && t <= TrainOptionSet.MaxThreads ? t : 1);
        float? learningRate = settings.LearningRate ?? (saved.LearningRate is float rate && rate > 0 ? rate : null);
        // The saved run's batch size unless given (a file of an earlier version has none: the spec's); a mismatch mid-epoch is refused by the caller.
        int? batchSize = settings.BatchSize ?? saved.Position?.BatchSize;
        INetwork network = Networks.Create(settings.Net ?? Networks.Saved(saved, defaultNetwork), saved.Seed, batchSize, threads);
        try
        {
            if (learningRate is float lr) network.LearningRate = lr;
            checkpoint = Inputs.Read(path, () => file.Load(network));
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>Where a run stands, in words: "the end of epoch 2" or "epoch 3, step 120/1875".</summary>
    private static string Where(TrainingPosition position, int stepsPerEpoch) =>
        position.StepInEpoch == 0
            ? (position.Epoch == 1 ? "the start" : string.Create(Invariant, $"the end of epoch {position.Epoch - 1}"))
            : string.Create(Invariant, $"epoch {position.Epoch}, step {position.StepInEpoch}/{stepsPerEpoch}");

    private static void Save(string path, INetwork network, TrainingPosition position)
    {
        try
        {
            ModelFile.Save(path, network, position);
        }
        catch (ModelFormatException e)
        {
            // ModelFile names the file and the problem (and leaves a file already there as it was).
            throw new OutputWriteException(e.Message, e);
        }
    }

    /// <summary>A checkpoint, metrics or chart that could not be written during or after training: exit code 2.</summary>
    private sealed class OutputWriteException(string message, Exception inner) : Exception(message, inner);
}
