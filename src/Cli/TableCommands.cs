using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace NetGen.Cli;

/// <summary>
/// <c>train</c>, <c>eval</c> and <c>predict</c> on a CSV file, for any network of nets.json: the rows' feature columns are the
/// network's inputs, <c>--label</c> names the class or target column(s). Training standardizes the features with the training
/// rows' means and deviations, validates after every epoch (on <c>--validation</c>, or a seeded split of the training rows),
/// stops early with <c>--patience</c>, and saves the model with the columns, class names and standardization, so that
/// <c>eval</c> and <c>predict</c> read raw rows as training did.
/// </summary>
internal static class TableCommands
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Whether <c>train</c> was given a table: a .csv data file, or a --label.</summary>
    public static bool IsTable(string? data, string? label) =>
        label is not null || (data is not null && data.EndsWith(".csv", StringComparison.OrdinalIgnoreCase));

    public static int Train(TrainSettings settings, CliContext context)
    {
        if (settings.Data is null) throw new UsageException("--label needs --data FILE.csv, the table to train on.");
        foreach (var (option, given) in new[] { ("--train-images", settings.TrainImages is not null), ("--plot", settings.Plot is not null) })
        {
            if (given) throw new UsageException($"{option} is for MNIST data, not a CSV file.");
        }
        if (settings.Validation is not null && settings.ValidationSplit is not null)
            throw new UsageException("--validation and --validation-split are two ways to get validation rows: give one.");
        Checkpoint? saved = null;
        if (settings.Resume is not null)
        {
            DataFiles.CheckModelExists(settings.Resume, "--resume");
            if (settings.Seed is not null)
                throw new UsageException("--seed cannot be used with --resume: the saved run continues with its own weights, split and shuffle order.");
            if (settings.NoStandardize) throw new UsageException("--no-standardize cannot be used with --resume: the saved run keeps its own standardization.");
            saved = Inputs.Read(settings.Resume, () => ModelFile.ReadMetadata(settings.Resume));
        }
        using RunFiles files = RunFiles.Claim([new("--save", settings.Save), new("--save-best", settings.SaveBest), new("--metrics", settings.Metrics)],
            resume: settings.Resume is null ? null : new("--resume", settings.Resume));

        // A program of one network trains that one; of several, the table needs --net (the default network is for MNIST).
        string name = settings.Net ?? saved?.NetworkName ?? (Networks.Names.Count == 1 ? Networks.Names[0] : null) ?? throw new UsageException("--net NAME: which network of nets.json to train on the table.");
        using INetwork network = Networks.Create(name, saved?.Seed ?? settings.Seed, settings.BatchSize ?? saved?.Position?.BatchSize, settings.Threads ?? saved?.Threads ?? 1);
        TrainingPosition? resume = null;
        DataSchema? savedSchema = null;
        if (settings.Resume is not null)
        {
            Checkpoint checkpoint = Inputs.Read(settings.Resume, () => ModelFile.Load(settings.Resume, network));
            resume = checkpoint.Position
                ?? throw new UsageException($"{settings.Resume}: has no training position to resume from (saved at the end of a run with early stopping, or by another program); use it with eval or predict, or train anew.");
            savedSchema = checkpoint.Data;
            if (checkpoint.LearningRate is float rate) network.LearningRate = rate;
        }
        if (settings.LearningRate is float lr) network.LearningRate = lr;
        IReadOnlyList<string>? labels = Labels(settings.Label) ?? savedSchema?.TargetNames;
        CsvOptions csv = Options(network, labels, savedSchema?.ClassNames, savedSchema?.FeatureNames);
        CsvTable table = ReadTable(settings.Data, csv, network);
        IDataset all = table.ToDataset();
        IDataset train = all, validation;
        string validationText;
        if (settings.Validation is not null)
        {
            CsvTable held = ReadTable(settings.Validation, Options(network, table.TargetNames, table.ClassNames), network);
            CheckSameColumns(table, held);
            validation = held.ToDataset();
            validationText = string.Create(Invariant, $"{validation.Count} rows of {settings.Validation}");
        }
        else
        {
            // The split is drawn from the network's seed: a resumed run (same seed, same file) holds out the same rows.
            double fraction = settings.ValidationSplit ?? network.Defaults.ValidationSplit ?? 0.2;
            (train, validation) = Inputs.Read(settings.Data, () => Datasets.Split(all, fraction, network.Seed));
            validationText = string.Create(Invariant, $"{validation.Count} rows held out ({fraction:0.###}, seed {network.Seed}{(all.ClassCount > 0 ? ", stratified" : "")})");
        }
        // A resumed run keeps the standardization it was trained with; a new one takes the training rows' own.
        Standardization? standardization = resume is not null ? savedSchema?.Standardization : settings.NoStandardize ? null : Standardization.Fit(train);
        var schema = new DataSchema { FeatureNames = table.FeatureNames, TargetNames = table.TargetNames, ClassNames = table.ClassNames, Standardization = standardization };
        train = schema.Apply(train);
        validation = schema.Apply(validation);

        int epochs = settings.Epochs ?? network.Defaults.Epochs;
        int? patience = settings.Patience ?? network.Defaults.Patience;
        var terminal = new Terminal(context.Out, context.Live);
        string run = string.Create(Invariant,
            $"\"{network.NetworkName}\" ({network.ParameterCount:N0} parameters) on {train.Count} rows of {settings.Data} ({table.FeatureCount} features, {Target(table)}): ");
        terminal.Line(resume is null
            ? string.Create(Invariant, $"Training {run}{epochs} epoch{(epochs == 1 ? "" : "s")}, batch {network.MaxBatchSize}, lr {network.LearningRate}, seed {network.Seed}, {network.Threads} thread{(network.Threads == 1 ? "" : "s")}")
            : string.Create(Invariant, $"Resuming {run}from {settings.Resume} at epoch {resume.Epoch}, step {resume.StepInEpoch}, to {epochs} epochs, batch {network.MaxBatchSize}, {network.Threads} thread{(network.Threads == 1 ? "" : "s")}"));
        terminal.Line($"Validation: {validationText}; features {(standardization is null ? "as they are" : "standardized by the training rows' mean and deviation")}" +
            (patience is int p ? string.Create(Invariant, $"; early stopping after {p} epochs without a lower validation loss") : "") +
            ((settings.Schedule is null ? network.Defaults.Schedule : ScheduleOption.Parse(settings.Schedule)) is { } schedule ? $"; schedule {schedule.Describe()}" : ""));

        TrainingPosition? position = null; // after the last step taken
        var options = new TrainingOptions
        {
            Epochs = epochs,
            BatchSize = network.MaxBatchSize,
            Patience = settings.Patience,
            ClipNorm = settings.ClipNorm,
            Schedule = settings.Schedule is null ? null : ScheduleOption.Parse(settings.Schedule).Create(epochs, (train.Count + network.MaxBatchSize - 1) / network.MaxBatchSize),
            Resume = resume,
            OnStep = step =>
            {
                position = step.Position;
                context.OnStep?.Invoke(step);
            },
        };
        var metrics = new List<EpochMetrics>();
        FitResult fit;
        try
        {
            fit = Trainer.Fit(network, train, validation, options, epoch =>
            {
                ValidationResult v = epoch.Validation!;
                string rate = network.Defaults.Schedule is null && settings.Schedule is null ? "" : string.Create(Invariant, $"  lr {epoch.LearningRate:G4}");
                terminal.Line(string.Create(Invariant, $"Epoch {epoch.Epoch}/{epoch.Epochs}  loss {epoch.Loss:F4}  validation {v}{rate}  {epoch.Elapsed.TotalSeconds:F2} s{(epoch.IsBest ? "  best" : "")}"));
                metrics.Add(new EpochMetrics(epoch.Epoch, epoch.Loss, epoch.Elapsed.TotalSeconds, v.Accuracy ?? double.NaN));
                if (settings.SaveBest is not null && epoch.IsBest) ModelFile.Save(settings.SaveBest, network, epoch.Position, schema);
                if (settings.Save is not null) ModelFile.Save(settings.Save, network, epoch.Position, schema);
            }, context.Cancellation);
        }
        catch (TrainingDivergedException e)
        {
            return CliCommands.Fail(context, $"training diverged: {e.Message}", ExitCodes.TrainingFailed);
        }
        catch (OperationCanceledException) when (context.Cancellation.IsCancellationRequested)
        {
            // Ctrl+C after a step: where the run stands (with the schedule, early stopping and best weights so far) goes to --save.
            if (settings.Save is null || position is null)
            {
                terminal.Line("Stopped (Ctrl+C); nothing was saved (no --save, or no step taken).");
                return ExitCodes.Interrupted;
            }
            ModelFile.Save(settings.Save, network, position, schema);
            terminal.Line(string.Create(Invariant, $"Stopped (Ctrl+C) at epoch {position.Epoch}, step {position.StepInEpoch}; saved {settings.Save}: continue with --resume {settings.Save}."));
            return ExitCodes.Interrupted;
        }

        EpochResult best = fit.Epochs.FirstOrDefault(e => e.Epoch == fit.BestEpoch);
        if (fit.BestEpoch is not null)
        {
            terminal.Line(string.Create(Invariant,
                $"{(fit.StoppedEarly ? $"Stopped early after epoch {fit.Epochs[^1].Epoch}; " : "")}best epoch {best.Epoch}: validation {best.Validation}{(fit.StoppedEarly || best.Epoch != fit.Epochs[^1].Epoch ? (patience is null ? "" : " (its weights restored)") : "")}"));
        }
        // With early stopping the network now holds the best epoch's weights: the final save is that model.
        if (settings.Save is not null && patience is not null) ModelFile.Save(settings.Save, network, null, schema);
        if (settings.Metrics is not null) MetricsFile.Write(settings.Metrics, network.NetworkName, metrics, best.Validation?.Accuracy ?? double.NaN);
        if (settings.Test is not null)
        {
            CsvTable tested = ReadTable(settings.Test, Options(network, table.TargetNames, table.ClassNames), network);
            CheckSameColumns(table, tested);
            terminal.Line(TestLine(network, schema.Apply(tested.ToDataset()), tested.Rows));
        }
        return ExitCodes.Ok;
    }

    public static int Eval(EvalSettings settings, CliContext context)
    {
        DataFiles.CheckModelExists(settings.Load, "--load");
        using RunFiles files = RunFiles.Claim([], load: new("--load", settings.Load));
        using INetwork network = Networks.Create(Networks.For(settings.Net, settings.Load, context.DefaultNetwork));
        Checkpoint checkpoint = Networks.Load(settings.Load, network);
        DataSchema? schema = checkpoint.Data;
        IReadOnlyList<string>? labels = settings.Label is not null ? Labels(settings.Label) : schema?.TargetNames;
        CsvTable table = ReadTable(settings.Data!, Options(network, labels, schema?.ClassNames, schema?.FeatureNames), network);
        var terminal = new Terminal(context.Out, context.Live);
        terminal.Line(string.Create(Invariant,
            $"Evaluating \"{network.NetworkName}\" from {settings.Load} ({EvalCommand.Describe(checkpoint, settings.Load)}) on {table.Rows} rows of {settings.Data}"));
        terminal.Line(TestLine(network, schema?.Apply(table.ToDataset()) ?? table.ToDataset(), table.Rows));
        return ExitCodes.Ok;
    }

    public static int Predict(PredictSettings settings, CliContext context)
    {
        DataFiles.CheckModelExists(settings.Load, "--load");
        using INetwork network = Networks.Create(Networks.For(settings.Net, settings.Load, context.DefaultNetwork));
        Checkpoint checkpoint = Networks.Load(settings.Load, network);
        DataSchema? schema = checkpoint.Data;
        // The rows need only the features: a label column, if the file has one, is left out by name.
        var options = new CsvOptions
        {
            Targets = [],
            Features = schema?.FeatureNames,
            Task = CsvTask.Regression,
        };
        CsvTable table = Inputs.Read(settings.Csv!, () => CsvData.Load(settings.Csv!, options));
        if (table.FeatureCount != network.InputSize)
            throw new UsageException(string.Create(Invariant, $"{settings.Csv}: {table.FeatureCount} feature columns, but network \"{network.NetworkName}\" takes {network.InputSize} inputs."));
        var terminal = new Terminal(context.Out, context.Live);
        var row = new float[network.InputSize];
        var outputs = new float[network.OutputSize];
        for (int r = 0; r < table.Rows; r++)
        {
            table.FeatureRow(r).CopyTo(row);
            schema?.Apply(row);
            string prediction;
            if (network.Loss == LossKind.MeanSquaredError)
            {
                network.Forward(row, outputs);
                prediction = string.Join(", ", outputs.Select(o => o.ToString("G6", Invariant)));
            }
            else
            {
                int predicted = network.Predict(row);
                prediction = string.Create(Invariant, $"{ClassName(schema, predicted)} ({network.Probabilities(row)[predicted]:F3})");
            }
            terminal.Line(string.Create(Invariant, $"row {r + 1}: {prediction}"));
        }
        return ExitCodes.Ok;
    }

    private static string ClassName(DataSchema? schema, int index) => schema?.ClassName(index) ?? index.ToString(Invariant);

    /// <summary>"Test accuracy: 96.49% (110/114)" for classes, "Test: MSE 3205.1, MAE 45.2, R^2 0.3712 (89 rows)" for targets.</summary>
    private static string TestLine(INetwork network, IDataset data, int rows)
    {
        if (data.ClassCount > 0)
        {
            EvaluationResult result = Evaluator.Evaluate(network, data);
            return result.ToString();
        }
        ValidationResult v = Evaluator.Validate(network, data);
        return string.Create(Invariant, $"Test: MSE {v.MeanSquaredError:G6}, MAE {v.MeanAbsoluteError:G6}, R^2 {v.R2:F4} ({rows} rows)");
    }

    private static string Target(CsvTable table) => table.IsClassification
        ? string.Create(Invariant, $"\"{string.Join(",", table.TargetNames)}\" with {table.ClassNames!.Length} classes")
        : $"target{(table.TargetNames.Length == 1 ? "" : "s")} \"{string.Join(",", table.TargetNames)}\"";

    private static IReadOnlyList<string>? Labels(string? label) =>
        label?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>How to read a table for <paramref name="network"/>: classes for cross-entropy and binary networks, targets for mse.</summary>
    private static CsvOptions Options(INetwork network, IReadOnlyList<string>? targets, IReadOnlyList<string>? classNames, IReadOnlyList<string>? features = null) => new()
    {
        Targets = targets,
        Features = features,
        Task = network.Loss == LossKind.MeanSquaredError ? CsvTask.Regression : CsvTask.Classification,
        ClassNames = network.Loss == LossKind.MeanSquaredError ? null : classNames,
    };

    private static CsvTable ReadTable(string path, CsvOptions options, INetwork network)
    {
        CsvTable table = Inputs.Read(path, () => CsvData.Load(path, options));
        if (table.FeatureCount != network.InputSize)
        {
            throw new UsageException(string.Create(Invariant,
                $"{path}: {table.FeatureCount} feature columns, but network \"{network.NetworkName}\" takes {network.InputSize} inputs (the label column{(table.TargetNames.Length == 1 ? "" : "s")}: {string.Join(", ", table.TargetNames)})."));
        }
        if (table.IsClassification && table.ClassNames!.Length > network.ClassCount)
        {
            throw new UsageException(string.Create(Invariant,
                $"{path}: {table.ClassNames.Length} classes in column \"{string.Join(",", table.TargetNames)}\", but network \"{network.NetworkName}\" tells {network.ClassCount} apart."));
        }
        if (!table.IsClassification && table.TargetNames.Length != network.OutputSize)
        {
            throw new UsageException(string.Create(Invariant,
                $"{path}: {table.TargetNames.Length} target columns, but network \"{network.NetworkName}\" has {network.OutputSize} outputs."));
        }
        return table;
    }

    private static void CheckSameColumns(CsvTable train, CsvTable other)
    {
        if (!train.FeatureNames.SequenceEqual(other.FeatureNames))
            throw new UsageException($"{other.DisplayName}: its feature columns are not those of {train.DisplayName} ({string.Join(", ", other.FeatureNames.Take(5))}... vs {string.Join(", ", train.FeatureNames.Take(5))}...).");
    }
}
