using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace NetGen;

/// <summary>
/// Mini-batch training of a generated network on an <see cref="ImageDataset"/>: each epoch reshuffles
/// the training set from the seed, scales each batch's bytes to [0, 1] and takes one optimizer step per
/// batch (the last batch of an epoch may be smaller, as with PyTorch's DataLoader).
/// </summary>
public static class TrainingLoop
{
    /// <summary>Trains <paramref name="network"/> and returns one result per epoch.</summary>
    /// <param name="network">A generated network; its input size must equal the images' pixel count.</param>
    /// <param name="data">The training set.</param>
    /// <param name="options">Epochs, batch size and seed; null fields come from the spec.</param>
    /// <param name="onEpoch">Called after each epoch, e.g. to print progress.</param>
    /// <param name="cancellationToken">Checked between steps; cancelling stops after the current step.</param>
    public static IReadOnlyList<EpochResult> Train(
        INetwork network,
        ImageDataset data,
        TrainingOptions? options = null,
        Action<EpochResult>? onEpoch = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        options ??= new TrainingOptions();
        int epochs = options.Epochs ?? network.Defaults.Epochs;
        int batchSize = options.BatchSize ?? Math.Min(network.Defaults.BatchSize, network.MaxBatchSize);
        if (epochs < 1) throw new ArgumentOutOfRangeException(nameof(options), epochs, "Epochs must be at least 1.");
        if (batchSize < 1 || batchSize > network.MaxBatchSize)
            throw new ArgumentOutOfRangeException(nameof(options), batchSize, $"The batch size must be between 1 and the network's MaxBatchSize ({network.MaxBatchSize}).");
        CheckShapes(network, data);
        if (data.Count == 0) throw new ArgumentException("The training set is empty.", nameof(data));

        var random = ShuffleSource(options.Seed ?? network.Seed);
        TrainingPosition? resume = options.Resume;
        if (resume is not null)
        {
            if (resume.Epoch < 1) throw new ArgumentOutOfRangeException(nameof(options), resume.Epoch, "The resume position's epoch starts at 1.");
            // Mid-epoch, the steps taken are batches of the saved size: another size would train some images twice and skip others.
            if (resume.StepInEpoch > 0 && resume.BatchSize is int saved && saved != batchSize)
            {
                throw new ArgumentException($"The resume position is step {resume.StepInEpoch} of epoch {resume.Epoch} in batches of {saved}; " +
                    $"it continues only in batches of {saved}, not {batchSize} (another batch size can start at an epoch's start).", nameof(options));
            }
            // Mid-epoch, the steps walk the saved run's shuffled order of its rows: another row count is another order.
            if (resume.StepInEpoch > 0 && resume.TrainingRows is int savedRows && savedRows != data.Count)
            {
                throw new ArgumentException($"The resume position is step {resume.StepInEpoch} of epoch {resume.Epoch} over {savedRows} rows; " +
                    $"it continues only over {savedRows}, not {data.Count} (another training set can start at an epoch's start).", nameof(options));
            }
            random.SetState(resume.ShuffleState);
        }
        int firstEpoch = resume?.Epoch ?? 1;
        int skip = resume?.StepInEpoch ?? 0;
        int[] order = new int[data.Count];
        float[] inputs = new float[batchSize * network.InputSize];
        int[] labels = new int[batchSize];
        int steps = (data.Count + batchSize - 1) / batchSize;
        if (skip < 0 || skip > steps) throw new ArgumentOutOfRangeException(nameof(options), skip, $"The resume position's step must be from 0 to {steps}.");
        var results = new List<EpochResult>(Math.Max(0, epochs - firstEpoch + 1));
        for (int epoch = firstEpoch; epoch <= epochs; epoch++)
        {
            long start = Stopwatch.GetTimestamp();
            ulong[] epochState = random.GetState();
            for (int i = 0; i < order.Length; i++) order[i] = i;
            random.Shuffle(order.AsSpan());
            double lossSum = 0;
            int taken = 0;
            for (int step = skip + 1; step <= steps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int first = (step - 1) * batchSize;
                int rows = Math.Min(batchSize, order.Length - first);
                ReadOnlySpan<int> batch = order.AsSpan(first, rows);
                data.CopyBatchScaled(batch, inputs.AsSpan(0, rows * network.InputSize), labels.AsSpan(0, rows));
                double loss = network.TrainStep(inputs.AsSpan(0, rows * network.InputSize), labels.AsSpan(0, rows));
                if (!double.IsFinite(loss)) throw new TrainingDivergedException(epoch, step, loss);
                lossSum += loss;
                taken++;
                options.OnStep?.Invoke(new StepProgress(epoch, epochs, step, steps, loss, lossSum / taken,
                    step == steps ? new TrainingPosition(epoch + 1, 0, random.GetState()) { BatchSize = batchSize, TrainingRows = data.Count }
                        : new TrainingPosition(epoch, step, epochState) { BatchSize = batchSize, TrainingRows = data.Count }));
            }
            skip = 0;
            var result = new EpochResult(epoch, epochs, taken == 0 ? double.NaN : lossSum / taken, taken, Stopwatch.GetElapsedTime(start),
                new TrainingPosition(epoch + 1, 0, random.GetState()) { BatchSize = batchSize, TrainingRows = data.Count });
            results.Add(result);
            onEpoch?.Invoke(result);
        }
        return results;
    }

    /// <summary>The random source that shuffles the training set each epoch: stream 1 of the seed.</summary>
    internal static RandomSource ShuffleSource(int seed) => new(seed, stream: 1);

    internal static void CheckShapes(INetwork network, ImageDataset data)
    {
        if (data.PixelsPerImage != network.InputSize)
            throw new ArgumentException($"Network \"{network.NetworkName}\" takes {network.InputSize} inputs, but the images have {data.PixelsPerImage} pixels ({data.Rows}x{data.Columns}).", nameof(data));
        if (data.ClassCount > network.ClassCount)
            throw new ArgumentException($"Network \"{network.NetworkName}\" tells {network.ClassCount} classes apart, fewer than the data's {data.ClassCount}.", nameof(data));
    }
}
