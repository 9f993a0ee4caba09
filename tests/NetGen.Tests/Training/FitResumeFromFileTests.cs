using System;
using System.IO;
using System.Linq;
using System.Threading;
using Xunit;

namespace NetGen.Tests.Training;

/// <summary>A fit stopped mid-epoch, saved to a model file and resumed into a new network trains the same bits.</summary>
public sealed class FitResumeFromFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("netgen-fit-resume-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_schedule_and_early_stopping_state_go_through_the_file()
    {
        var (train, validation) = Datasets.Split(FitData.Blobs(40, seed: 5), 0.25, seed: 1);
        TrainingOptions Options() => new() { Epochs = 6, Patience = 4, RestoreBest = false, Schedule = new ExponentialLR(0.8) };

        using var whole = new BlobsNet();
        FitResult expected = Trainer.Fit(whole, train, validation, Options());

        string file = Path.Combine(_folder, "stopped.safetensors");
        using (var first = new BlobsNet())
        {
            using var stop = new CancellationTokenSource();
            var options = Options() with
            {
                OnStep = p =>
                {
                    if (p.Epoch == 4 && p.Step == 3)
                    {
                        ModelFile.Save(file, first, p.Position);
                        stop.Cancel();
                    }
                },
            };
            Assert.Throws<OperationCanceledException>(() => Trainer.Fit(first, train, validation, options, cancellationToken: stop.Token));
        }

        using var resumed = new BlobsNet(seed: 77); // other weights: the file's replace them
        Checkpoint checkpoint = ModelFile.Load(file, resumed);
        TrainingPosition position = checkpoint.Position!;
        Assert.Equal((4, 3), (position.Epoch, position.StepInEpoch));
        Assert.Equal(3, position.ScheduleState!.Length);
        Assert.NotNull(position.EarlyStopping);
        resumed.LearningRate = checkpoint.LearningRate!.Value;
        FitResult rest = Trainer.Fit(resumed, train, validation, Options() with { Resume = position });

        Assert.Equal(whole.Parameters.SelectMany(p => p.Values), resumed.Parameters.SelectMany(p => p.Values));
        Assert.Equal(expected.Epochs.Skip(3).Select(e => (e.LearningRate, e.Validation!.Loss, e.IsBest)),
            rest.Epochs.Select(e => (e.LearningRate, e.Validation!.Loss, e.IsBest)));
    }

    [Fact]
    public void The_best_weights_so_far_go_through_the_file_and_are_restored_at_the_end()
    {
        // Validation labels moved to the next class: the validation loss rises after the first epochs, so the best epoch is early.
        ArrayDataset train = FitData.Blobs(40, seed: 9);
        var misleading = ArrayDataset.WithLabels(train.Inputs.ToArray(), 2, train.Labels.ToArray().Select(l => (l + 1) % 3).ToArray(), 3);
        TrainingOptions Options() => new() { Epochs = 12, Patience = 6 };

        using var whole = new BlobsNet();
        FitResult expected = Trainer.Fit(whole, train, misleading, Options());
        Assert.True(expected.BestEpoch < 4, $"best epoch {expected.BestEpoch}: the test needs one before the stop");

        string file = Path.Combine(_folder, "stopped.safetensors");
        using (var first = new BlobsNet())
        {
            using var stop = new CancellationTokenSource();
            var options = Options() with
            {
                OnStep = p =>
                {
                    if (p.Epoch == 5 && p.Step == 2)
                    {
                        ModelFile.Save(file, first, p.Position);
                        stop.Cancel();
                    }
                },
            };
            Assert.Throws<OperationCanceledException>(() => Trainer.Fit(first, train, misleading, options, cancellationToken: stop.Token));
        }

        using var resumed = new BlobsNet(seed: 77);
        TrainingPosition position = ModelFile.Load(file, resumed).Position!;
        Assert.Equal(whole.Parameters.Count, position.BestWeights!.Count);
        FitResult rest = Trainer.Fit(resumed, train, misleading, Options() with { Resume = position });

        Assert.Equal(expected.BestEpoch, rest.BestEpoch);
        Assert.Equal(expected.StoppedEarly, rest.StoppedEarly);
        Assert.Equal(whole.Parameters.SelectMany(p => p.Values), resumed.Parameters.SelectMany(p => p.Values));

        // Without the best weights the resumed run cannot restore them: refused rather than wrong.
        using var blind = new BlobsNet();
        ModelFile.Load(file, blind);
        var error = Assert.Throws<ArgumentException>(() => Trainer.Fit(blind, train, misleading, Options() with { Resume = position with { BestWeights = null } }));
        Assert.Contains("holds no best weights", error.Message);
    }

    [Fact]
    public void Malformed_state_metadata_is_refused_in_one_line()
    {
        using var network = new BlobsNet();
        string file = Path.Combine(_folder, "m.safetensors");
        var position = TrainingPosition.Start(1) with { ScheduleState = [0.05, 1, 0.04], EarlyStopping = (0.5, 1, 0) };
        ModelFile.Save(file, network, position);
        Assert.Equal(position.ScheduleState, ModelFile.ReadMetadata(file).Position!.ScheduleState);

        byte[] bytes = File.ReadAllBytes(file);
        string text = System.Text.Encoding.Latin1.GetString(bytes);
        const string from = "\"0.5,1,0\"", to = "\"0.5,x,0\"";
        Assert.Contains(from, text);
        File.WriteAllBytes(file, System.Text.Encoding.Latin1.GetBytes(text.Replace(from, to)));
        var error = Assert.Throws<ModelFormatException>(() => ModelFile.ReadMetadata(file));
        Assert.Contains("metadata early_stopping is", error.Message);
        Assert.Contains("not 3 numbers separated by commas", error.Message);
    }
}
