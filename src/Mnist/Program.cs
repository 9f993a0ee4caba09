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
var epochsOption = new Option<int?>("--epochs") { Description = "Passes over the training set (default: nets.json's training.epochs)." };
var batchOption = new Option<int?>("--batch-size") { Description = "Images per optimizer step (default: nets.json's training.batch_size)." };
var lrOption = new Option<float?>("--lr") { Description = "Adam learning rate (default: nets.json's optimizer.lr)." };
var seedOption = new Option<int?>("--seed") { Description = "Seed of initialization and shuffling (default: nets.json's training.seed)." };
var threadsOption = new Option<int>("--threads")
{
    Description = "Threads for evaluating the test set (training runs on one thread for now).",
    DefaultValueFactory = _ => 1,
};
RequirePositive(epochsOption);
RequirePositive(batchOption);
RequirePositive(seedOption, allowZero: true);
RequirePositive(threadsOption);
lrOption.Validators.Add(result =>
{
    float? lr = result.GetValueOrDefault<float?>();
    if (lr is not null && !(lr > 0 && float.IsFinite(lr.Value))) result.AddError("--lr must be a number greater than 0.");
});

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
    parse.GetValue(threadsOption)));
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

    var network = new MnistNet(seed, batchSize);
    if (lr is not null) network.LearningRate = lr.Value;
    var options = new TrainingOptions { Epochs = epochs, BatchSize = network.MaxBatchSize };
    int totalEpochs = epochs ?? network.Defaults.Epochs;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Training \"{network.NetworkName}\" ({MnistNet.ParameterCount:N0} parameters) on {train.Count} images: {totalEpochs} epochs, batch {network.MaxBatchSize}, lr {network.LearningRate}, seed {network.Seed}"));
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

static void RequirePositive<T>(Option<T> option, bool allowZero = false)
{
    option.Validators.Add(result =>
    {
        object? value = result.GetValueOrDefault<T>();
        if (value is int n && (n < 0 || (n == 0 && !allowZero)))
            result.AddError($"{option.Name} must be {(allowZero ? "0 or more" : "at least 1")}; got {n}.");
    });
}
