using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using NetGen;
using NetGen.Mnist;

// netgen-mnist: trains the "mnist" network of nets.json on MNIST and reports test accuracy.
// Exit codes: 0 done, 1 bad input or usage, 2 failure during training.

var dataOption = new Option<DirectoryInfo?>("--data")
{
    Description = "Folder holding the four MNIST IDX files (.gz or plain). Default: data/mnist, searched from the current folder upwards, then from the program's folder upwards.",
};
Option<int?> epochsOption = WholeNumber("--epochs", "Passes over the training set (default: nets.json's training.epochs).", minimum: 1);
Option<int?> batchOption = WholeNumber("--batch-size", "Images per optimizer step (default: nets.json's training.batch_size).", minimum: 1);
Option<int?> seedOption = WholeNumber("--seed", "Seed of initialization and shuffling (default: nets.json's training.seed).", minimum: int.MinValue);
Option<int?> threadsOption = WholeNumber("--threads", "Threads for training and evaluation, 1 to 256 (default 1). A seed and a thread count always give the same result.", minimum: 1);
var lrOption = new Option<float?>("--lr")
{
    Description = "Adam learning rate (default: nets.json's optimizer.lr).",
    CustomParser = result =>
    {
        string token = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (float.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out float lr) && lr > 0 && float.IsFinite(lr)) return lr;
        result.AddError($"--lr needs a number greater than 0, such as 0.001; got '{token}'.");
        return null;
    },
};

var root = new RootCommand("Trains the \"mnist\" network from nets.json on MNIST with NetGen's generated code and prints the test accuracy.")
{
    dataOption, epochsOption, batchOption, lrOption, seedOption, threadsOption,
};
root.SetAction(parse => Train(
    parse.GetValue(dataOption),
    parse.GetValue(epochsOption),
    parse.GetValue(batchOption),
    parse.GetValue(lrOption),
    parse.GetValue(seedOption),
    parse.GetValue(threadsOption) ?? 1));
return root.Parse(args).Invoke();

static int Train(DirectoryInfo? dataDir, int? epochs, int? batchSize, float? lr, int? seed, int threads)
{
    string? directory = dataDir?.FullName ?? MnistData.FindDirectory();
    if (directory is null)
    {
        Console.Error.WriteLine("error: no data/mnist folder found from the current folder or the program's folder upwards; pass --data DIR (a folder with the four MNIST IDX files).");
        return 1;
    }
    ImageDataset train, test;
    try
    {
        (train, test) = MnistData.Load(directory);
    }
    catch (DataFormatException e)
    {
        Console.Error.WriteLine($"error: {e.Message}");
        return 1;
    }

    if (threads > 256)
    {
        Console.Error.WriteLine("error: --threads must be from 1 to 256.");
        return 1;
    }
    using var network = new MnistNet(seed, batchSize, threads);
    if (lr is not null) network.LearningRate = lr.Value;
    var options = new TrainingOptions { Epochs = epochs, BatchSize = network.MaxBatchSize };
    int totalEpochs = epochs ?? network.Defaults.Epochs;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Training \"{network.NetworkName}\" ({MnistNet.ParameterCount:N0} parameters) on {train.Count} images: {totalEpochs} epochs, batch {network.MaxBatchSize}, lr {network.LearningRate}, seed {network.Seed}, {threads} thread{(threads == 1 ? "" : "s")}"));
    try
    {
        TrainingLoop.Train(network, train, options, epoch =>
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Epoch {epoch.Epoch}/{epoch.Epochs}  loss {epoch.Loss:F4}  {epoch.Elapsed.TotalSeconds:F2} s")));
        Console.WriteLine(Evaluator.Evaluate(network, test, threads));
        return 0;
    }
    catch (Exception e) when (e is ArgumentException or InvalidOperationException)
    {
        Console.Error.WriteLine($"error: training failed: {e.Message}");
        return 2;
    }
}

static Option<int?> WholeNumber(string name, string description, int minimum) => new(name)
{
    Description = description,
    CustomParser = result =>
    {
        string token = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (int.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) && value >= minimum) return value;
        result.AddError(minimum == int.MinValue
            ? $"{name} needs a whole number; got '{token}'."
            : $"{name} needs a whole number of at least {minimum}; got '{token}'.");
        return null;
    },
};
