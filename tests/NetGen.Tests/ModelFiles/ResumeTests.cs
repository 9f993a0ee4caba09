using System;
using System.Collections.Generic;
using System.Threading;
using NetGen.Tests.Data;
using NetGen.Tests.EndToEnd;
using NetGen.Tests.Networks;
using Xunit;
using static NetGen.Tests.ModelFiles.ModelFileTestKit;

namespace NetGen.Tests.ModelFiles;

/// <summary>
/// Training N epochs straight and training, saving, loading into a fresh network and resuming to N epochs give
/// bit-identical weights, optimizer state and step count: at an epoch boundary and in the middle of an epoch.
/// </summary>
public class ResumeTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private const int Epochs = 2;

    /// <summary>Trains with <paramref name="create"/>'s network until <paramref name="stopAfter"/> steps are taken, saves, loads into a fresh network (another seed) and trains on to <see cref="Epochs"/>.</summary>
    private INetwork StopSaveLoadResume(Func<int, INetwork> create, ImageDataset data, int stopAfter, Action<INetwork>? beforeResume = null)
    {
        string path;
        using (INetwork first = create(1)) path = StopAndSave(first, data, stopAfter);

        INetwork resumed = create(777); // another seed: everything that matters must come from the file
        Checkpoint checkpoint = ModelFile.Load(path, resumed);
        Assert.True(checkpoint.HasOptimizerState);
        Assert.Equal(stopAfter, checkpoint.Step);
        beforeResume?.Invoke(resumed);
        TrainingLoop.Train(resumed, data, new TrainingOptions { Epochs = Epochs, Resume = checkpoint.Position });
        return resumed;
    }

    /// <summary>Trains <paramref name="first"/> towards <see cref="Epochs"/>, stops it (as Ctrl+C) after <paramref name="stopAfter"/> steps and saves it with its position.</summary>
    private string StopAndSave(INetwork first, ImageDataset data, int stopAfter)
    {
        string path = _folder.File("checkpoint.safetensors");
        using var stop = new CancellationTokenSource();
        StepProgress last = default;
        int taken = 0;
        var options = new TrainingOptions
        {
            Epochs = Epochs,
            OnStep = progress =>
            {
                last = progress;
                if (++taken == stopAfter) stop.Cancel();
            },
        };
        Assert.Throws<OperationCanceledException>(() => TrainingLoop.Train(first, data, options, cancellationToken: stop.Token));
        Assert.Equal(stopAfter, first.Step);
        ModelFile.Save(path, first, last.Position);
        return path;
    }

    private static INetwork Straight(Func<int, INetwork> create, ImageDataset data)
    {
        INetwork network = create(1);
        TrainingLoop.Train(network, data, new TrainingOptions { Epochs = Epochs });
        return network;
    }

    private static int StepsPerEpoch(INetwork network, ImageDataset data) =>
        (data.Count + network.Defaults.BatchSize - 1) / network.Defaults.BatchSize;

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (string network in new[] { "tiny", "dropout", "momentum", "adamw", "nobias" })
            foreach (string stop in new[] { "epoch end", "mid epoch 1", "mid epoch 2" }) cases.Add(network, stop);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Resuming_gives_the_same_weights_as_training_straight(string name, string stop)
    {
        Func<int, INetwork> create = seed => NetworkTestKit.Create(name, seed, threads: 1);
        using INetwork probe = create(1);
        ImageDataset data = SyntheticData(probe, 101); // not a multiple of any batch size: a short last batch
        int steps = StepsPerEpoch(probe, data);
        int stopAfter = stop switch
        {
            "epoch end" => steps,
            "mid epoch 1" => steps / 3,
            _ => steps + steps / 2 + 1,
        };

        using INetwork straight = Straight(create, data);
        using INetwork resumed = StopSaveLoadResume(create, data, stopAfter);

        Assert.Equal(Epochs * steps, straight.Step);
        AssertSameState(straight, resumed, $"{name}, resumed after {stopAfter} of {Epochs * steps} steps");
    }

    [Fact]
    public void Resuming_without_the_dropout_state_would_differ()
    {
        // The control for the dropout cases above: they pass only because the dropout state is restored.
        Func<int, INetwork> create = seed => NetworkTestKit.Create("dropout", seed);
        using INetwork probe = create(1);
        ImageDataset data = SyntheticData(probe, 101);

        using INetwork straight = Straight(create, data);
        using INetwork resumed = StopSaveLoadResume(create, data, 10, beforeResume: n => n.DropoutRandom!.SetState(new ulong[] { 1, 2, 3, 4 }));

        Assert.NotEqual(straight.Parameters[0].Values, resumed.Parameters[0].Values);
    }

    [Fact]
    public void Resuming_mnist_on_a_subset_with_two_threads_gives_the_same_weights()
    {
        string? directory = MnistData.FindDirectory();
        Assert.True(directory is not null, "data/mnist not found above the test's folder");
        ImageDataset data = MnistData.LoadTrain(directory!).Take(300); // 10 steps of 32, the last of 12
        Func<int, INetwork> create = seed => new MnistNet(seed, threads: 2);

        using INetwork straight = Straight(create, data);
        using INetwork resumed = StopSaveLoadResume(create, data, 14);

        Assert.Equal(20, straight.Step);
        AssertSameState(straight, resumed, "mnist resumed after 14 of 20 steps");
    }

    [Fact]
    public void Resuming_a_network_made_from_the_open_files_metadata_gives_the_same_weights()
    {
        // As `train --resume` does: the file is opened once, the network made with its seed and thread count, then loaded.
        using INetwork probe = NetworkTestKit.Create("dropout");
        ImageDataset data = SyntheticData(probe, 101);
        using INetwork straight = Straight(seed => NetworkTestKit.Create("dropout", seed, threads: 2), data);
        string path;
        using (INetwork first = NetworkTestKit.Create("dropout", 1, threads: 2)) path = StopAndSave(first, data, stopAfter: 5);

        INetwork resumed;
        Checkpoint checkpoint;
        using (ModelFileReader file = ModelFile.OpenRead(path))
        {
            resumed = NetworkTestKit.Create(file.Checkpoint.NetworkName!, file.Checkpoint.Seed, threads: file.Checkpoint.Threads!.Value);
            checkpoint = file.Load(resumed);
        }
        using (resumed)
        {
            Assert.Equal((1, 2), (resumed.Seed, resumed.Threads));
            TrainingLoop.Train(resumed, data, new TrainingOptions { Epochs = Epochs, Resume = checkpoint.Position });
            AssertSameState(straight, resumed, "resumed from the open file");
        }
    }

    [Fact]
    public void A_saved_position_holds_the_batch_size_of_its_steps()
    {
        using INetwork first = NetworkTestKit.Create("tiny", 1);
        ImageDataset data = SyntheticData(first, 101);
        Checkpoint saved = ModelFile.ReadMetadata(StopAndSave(first, data, stopAfter: 5));

        Assert.Equal(first.Defaults.BatchSize, saved.Position!.BatchSize);
        Assert.Equal(data.Count, saved.Position.TrainingRows);
        Assert.Equal((1, 5), (saved.Position.Epoch, saved.Position.StepInEpoch));
    }

    [Fact]
    public void Mid_epoch_a_run_continues_only_with_its_batch_size_and_at_an_epochs_start_with_any()
    {
        using INetwork probe = NetworkTestKit.Create("tiny", 1);
        ImageDataset data = SyntheticData(probe, 101);
        int batch = probe.Defaults.BatchSize, other = batch / 2;
        string path;
        using (INetwork first = NetworkTestKit.Create("tiny", 1)) path = StopAndSave(first, data, stopAfter: 3);

        using INetwork resumed = NetworkTestKit.Create("tiny", 1);
        TrainingPosition position = ModelFile.Load(path, resumed).Position!;
        var e = Assert.Throws<ArgumentException>(() =>
            TrainingLoop.Train(resumed, data, new TrainingOptions { Epochs = Epochs, BatchSize = other, Resume = position }));
        Assert.StartsWith($"The resume position is step 3 of epoch 1 in batches of {batch}; it continues only in batches of {batch}, not {other}", e.Message);
        Assert.Equal(3, resumed.Step); // nothing trained

        // At an epoch's start no step of it is taken: any batch size continues it.
        var boundary = position with { StepInEpoch = 0 };
        IReadOnlyList<EpochResult> results = TrainingLoop.Train(resumed, data, new TrainingOptions { Epochs = 1, BatchSize = other, Resume = boundary });
        Assert.Equal((data.Count + other - 1) / other, results[0].Steps);
        Assert.Equal(other, results[0].Position.BatchSize);
    }

    [Fact]
    public void Mid_epoch_a_run_continues_only_over_as_many_rows_and_at_an_epochs_start_over_any()
    {
        using INetwork probe = NetworkTestKit.Create("tiny", 1);
        ImageDataset data = SyntheticData(probe, 101);
        string path;
        using (INetwork first = NetworkTestKit.Create("tiny", 1)) path = StopAndSave(first, data, stopAfter: 3);

        using INetwork resumed = NetworkTestKit.Create("tiny", 1);
        TrainingPosition position = ModelFile.Load(path, resumed).Position!;
        ImageDataset fewer = data.Take(60);
        var e = Assert.Throws<ArgumentException>(() =>
            TrainingLoop.Train(resumed, fewer, new TrainingOptions { Epochs = Epochs, Resume = position }));
        Assert.StartsWith($"The resume position is step 3 of epoch 1 over {data.Count} rows; it continues only over {data.Count}, not 60", e.Message);
        Assert.Equal(3, resumed.Step); // nothing trained

        var boundary = position with { StepInEpoch = 0 };
        IReadOnlyList<EpochResult> results = TrainingLoop.Train(resumed, fewer, new TrainingOptions { Epochs = 1, Resume = boundary });
        Assert.Equal(60, results[0].Position.TrainingRows);
    }
}
