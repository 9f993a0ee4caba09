using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace NetGen;

/// <summary>
/// The fit loop: mini-batch training of a generated network on any <see cref="IDataset"/> (class labels, or float targets
/// for <c>mse</c> and <c>binary_cross_entropy</c> networks), with the loss and metrics on validation rows after every epoch
/// and early stopping that keeps the best weights. Each epoch reshuffles the training rows from the seed (the last batch may
/// be smaller, as with PyTorch's DataLoader); a step allocates nothing.
/// </summary>
public static class Trainer
{
    /// <summary>Trains <paramref name="network"/> on <paramref name="train"/>, validating on <paramref name="validation"/> after every epoch.</summary>
    /// <param name="network">A generated network; its input size must equal the rows' (and its output size the targets', if any).</param>
    /// <param name="train">The training rows.</param>
    /// <param name="validation">Rows held out to measure the network after each epoch (never trained on); null for none.
    /// Early stopping (<see cref="TrainingOptions.Patience"/>) needs them.</param>
    /// <param name="options">Epochs, batch size, seed, early stopping, schedule, clipping; null fields come from the spec
    /// (<see cref="INetwork.Defaults"/>; its schedule is created for this run, its early stopping applies with validation rows).</param>
    /// <param name="onEpoch">Called after each epoch, e.g. to print progress or to save the model when <see cref="EpochResult.IsBest"/>.</param>
    /// <param name="cancellationToken">Checked between steps; cancelling stops after the current step.</param>
    /// <returns>Every epoch's result, the best epoch, and whether early stopping ended the run.</returns>
    public static FitResult Fit(
        INetwork network,
        IDataset train,
        IDataset? validation = null,
        TrainingOptions? options = null,
        Action<EpochResult>? onEpoch = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(train);
        options ??= new TrainingOptions();
        int epochs = options.Epochs ?? network.Defaults.Epochs;
        int batchSize = options.BatchSize ?? Math.Min(network.Defaults.BatchSize, network.MaxBatchSize);
        if (epochs < 1) throw new ArgumentOutOfRangeException(nameof(options), epochs, "Epochs must be at least 1.");
        if (batchSize < 1 || batchSize > network.MaxBatchSize)
            throw new ArgumentOutOfRangeException(nameof(options), batchSize, $"The batch size must be between 1 and the network's MaxBatchSize ({network.MaxBatchSize}).");
        CheckShapes(network, train, nameof(train));
        if (validation is not null) CheckShapes(network, validation, nameof(validation));
        if (train.Count == 0) throw new ArgumentException("The training set is empty.", nameof(train));
        if (validation is not null && validation.Count == 0) throw new ArgumentException("The validation set is empty.", nameof(validation));
        // What the options leave null comes from the spec; its early stopping only with validation rows to watch.
        TrainingDefaults defaults = network.Defaults;
        int? patience = options.Patience ?? (validation is null ? null : defaults.Patience);
        double minDelta = options.MinDelta ?? defaults.MinDelta;
        bool restoreBest = options.RestoreBest ?? defaults.RestoreBest;
        double? clipNorm = options.ClipNorm ?? defaults.ClipNorm;
        if (patience < 1) throw new ArgumentOutOfRangeException(nameof(options), patience, "The patience must be at least 1 epoch.");
        if (options.Patience is not null && validation is null)
            throw new ArgumentException("Early stopping (Patience) watches the validation loss: give validation rows.", nameof(validation));
        if (!(minDelta >= 0)) throw new ArgumentOutOfRangeException(nameof(options), minDelta, "MinDelta must be 0 or more.");
        if (clipNorm is double clip && !(clip > 0 && double.IsFinite(clip)))
            throw new ArgumentOutOfRangeException(nameof(options), clip, "The clipping norm must be positive and finite.");
        int steps = (train.Count + batchSize - 1) / batchSize;
        LearningRateSchedule? schedule = options.Schedule ?? defaults.Schedule?.Create(epochs, steps);

        var random = TrainingLoop.ShuffleSource(options.Seed ?? network.Seed);
        TrainingPosition? resume = options.Resume;
        if (resume is not null)
        {
            if (resume.Epoch < 1) throw new ArgumentOutOfRangeException(nameof(options), resume.Epoch, "The resume position's epoch starts at 1.");
            // Mid-epoch, the steps taken are batches of the saved size: another size would train some rows twice and skip others.
            if (resume.StepInEpoch > 0 && resume.BatchSize is int saved && saved != batchSize)
            {
                throw new ArgumentException($"The resume position is step {resume.StepInEpoch} of epoch {resume.Epoch} in batches of {saved}; " +
                    $"it continues only in batches of {saved}, not {batchSize} (another batch size can start at an epoch's start).", nameof(options));
            }
            // Mid-epoch, the steps walk the saved run's shuffled order of its rows: another row count is another order.
            if (resume.StepInEpoch > 0 && resume.TrainingRows is int savedRows && savedRows != train.Count)
            {
                throw new ArgumentException($"The resume position is step {resume.StepInEpoch} of epoch {resume.Epoch} over {savedRows} rows; " +
                    $"it continues only over {savedRows}, not {train.Count} (another training set can start at an epoch's start).", nameof(options));
            }
            random.SetState(resume.ShuffleState);
            if (schedule is not null)
            {
                if (resume.ScheduleState is null)
                    throw new ArgumentException("The resume position has no learning-rate schedule state: it comes from a run without a schedule.", nameof(options));
                schedule.SetState(resume.ScheduleState);
            }
        }
        if (schedule is not null && resume is null) schedule.Start(network.LearningRate);

        bool labelled = train.ClassCount > 0;
        int firstEpoch = resume?.Epoch ?? 1;
        int skip = resume?.StepInEpoch ?? 0;
        int[] order = new int[train.Count];
        float[] inputs = new float[batchSize * network.InputSize];
        int[] labels = new int[labelled ? batchSize : 0];
        float[] targets = new float[labelled ? 0 : batchSize * network.OutputSize];
        if (skip < 0 || skip > steps) throw new ArgumentOutOfRangeException(nameof(options), skip, $"The resume position's step must be from 0 to {steps}.");
        var validator = validation is null ? null : new Validator(network, validation);
        var best = patience is null || !restoreBest ? null : new Snapshot(network);
        var (bestLoss, bestEpoch, badEpochs) = resume?.EarlyStopping ?? (double.PositiveInfinity, 0, 0);
        if (best is not null && bestEpoch > 0)
        {
            if (resume!.BestWeights is { } kept)
            {
                best.Load(kept);
            }
            else if (resume.StepInEpoch == 0 && bestEpoch == resume.Epoch - 1)
            {
                best.Take(); // the best epoch is the last one, whose weights the network holds
            }
            else
            {
                throw new ArgumentException($"The resume position's best epoch is {bestEpoch}, but it holds no best weights and the network holds " +
                    $"those of step {resume.StepInEpoch} of epoch {resume.Epoch}: restoring the best weights needs them (resume with RestoreBest = false).", nameof(options));
            }
        }
        bool stoppedEarly = false;

        bool epochEndWork = validator is not null || schedule?.Unit == ScheduleUnit.Epoch;
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
                Span<float> batchInputs = inputs.AsSpan(0, rows * network.InputSize);
                if (schedule is not null) network.LearningRate = (float)schedule.Rate;
                double loss = Step(network, train, batch, batchInputs, labels, targets, clipNorm);
                if (!double.IsFinite(loss)) throw new TrainingDivergedException(epoch, step, loss);
                lossSum += loss;
                taken++;
                if (schedule?.Unit == ScheduleUnit.Step) schedule.Advance();
                // After an epoch's last step the position is the next epoch's start, unless the epoch's end still has work to do
                // (validation, an epoch schedule): then it is this epoch with every step taken, and resuming does that work.
                if (options.OnStep is { } onStep)
                {
                    bool nextEpoch = step == steps && !epochEndWork;
                    onStep(new StepProgress(epoch, epochs, step, steps, loss, lossSum / taken,
                        nextEpoch ? Position(epoch + 1, 0, random.GetState()) : Position(epoch, step, epochState)));
                }
            }
            skip = 0;
            TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
            double epochLoss = taken == 0 ? double.NaN : lossSum / taken;
            float rate = network.LearningRate;
            ValidationResult? measured = validator?.Run();
            bool isBest = false;
            if (measured is not null)
            {
                // An improvement is a loss below the best by more than MinDelta (Keras' EarlyStopping); the first epoch always is.
                if (measured.Loss < bestLoss - minDelta || bestEpoch == 0)
                {
                    bestLoss = measured.Loss;
                    bestEpoch = epoch;
                    badEpochs = 0;
                    isBest = true;
                    best?.Take();
                }
                else
                {
                    badEpochs++;
                }
            }
            // Epoch schedules step after the epoch, with the validation loss (ReduceLROnPlateau's metric), as PyTorch scripts do.
            if (schedule?.Unit == ScheduleUnit.Epoch) schedule.Advance(measured?.Loss ?? epochLoss);
            var result = new EpochResult(epoch, epochs, epochLoss, taken, elapsed, Position(epoch + 1, 0, random.GetState()))
            {
                Validation = measured,
                LearningRate = rate,
                IsBest = isBest,
            };
            results.Add(result);
            onEpoch?.Invoke(result);
            if (patience is int wait && badEpochs >= wait && epoch < epochs)
            {
                stoppedEarly = true;
                break;
            }
        }
        if (best is not null && bestEpoch > 0 && bestEpoch != results[^1].Epoch) best.Restore();
        return new FitResult(results, bestEpoch == 0 ? null : bestEpoch, stoppedEarly);

        // Where the run stands, with everything a resumed run needs: the schedule, early stopping's count and best weights.
        TrainingPosition Position(int epoch, int stepInEpoch, ulong[] shuffleState) => new(epoch, stepInEpoch, shuffleState)
        {
            BatchSize = batchSize,
            TrainingRows = train.Count,
            ScheduleState = schedule?.GetState(),
            EarlyStopping = validator is null ? null : (bestLoss, bestEpoch, badEpochs),
            BestWeights = best?.Kept,
        };
    }

    /// <summary>
    /// One optimizer step on the batch's rows (labels or targets, as the data has); returns the batch's mean loss. With
    /// <paramref name="maxNorm"/>, the gradients are clipped to that global norm between the backward pass and the optimizer step.
    /// </summary>
    private static float Step(INetwork network, IDataset data, ReadOnlySpan<int> batch, Span<float> inputs, int[] labels, float[] targets, double? maxNorm)
    {
        int rows = batch.Length;
        bool labelled = data.ClassCount > 0;
        Span<int> batchLabels = labelled ? labels.AsSpan(0, rows) : default;
        Span<float> batchTargets = labelled ? default : targets.AsSpan(0, rows * network.OutputSize);
        if (labelled) data.CopyBatch(batch, inputs, batchLabels);
        else data.CopyBatch(batch, inputs, batchTargets);
        if (maxNorm is not double clip)
            return labelled ? network.TrainStep(inputs, batchLabels) : network.TrainStep(inputs, (ReadOnlySpan<float>)batchTargets);

        float loss = labelled ? network.ComputeGradients(inputs, batchLabels) : network.ComputeGradients(inputs, (ReadOnlySpan<float>)batchTargets);
        // A gradient that is not finite would poison the weights: report it as the loss, which stops the run as diverged.
        double norm = GradientClipping.ClipByGlobalNorm(network.Parameters, clip);
        if (!double.IsFinite(norm)) return float.NaN;
        network.OptimizerStep();
        return loss;
    }

    /// <summary>Checks that the rows fit the network: input size, and classes (labels) or output size (targets).</summary>
    internal static void CheckShapes(INetwork network, IDataset data, string parameter)
    {
        ArgumentNullException.ThrowIfNull(data, parameter);
        if (data.InputSize != network.InputSize)
            throw new ArgumentException($"Network \"{network.NetworkName}\" takes {network.InputSize} inputs, but the rows have {data.InputSize}.", parameter);
        if (data.ClassCount > 0)
        {
            if (data.ClassCount > network.ClassCount)
                throw new ArgumentException($"Network \"{network.NetworkName}\" tells {network.ClassCount} classes apart, fewer than the data's {data.ClassCount}.", parameter);
        }
        else
        {
            if (!network.TakesTargets)
                throw new ArgumentException($"Network \"{network.NetworkName}\" trains with cross-entropy on class labels; the rows have float targets (use mse or binary_cross_entropy).", parameter);
            if (data.TargetSize != network.OutputSize)
                throw new ArgumentException($"Network \"{network.NetworkName}\" has {network.OutputSize} outputs, but the rows have {data.TargetSize} targets.", parameter);
        }
    }

    /// <summary>A copy of the network's parameters and buffers (made once), taken at the best epoch and put back at the end.</summary>
    private sealed class Snapshot
    {
        private readonly List<(float[] Live, float[] Kept)> _tensors = new();
        private float[][]? _kept;

        public Snapshot(INetwork network)
        {
            foreach (NamedTensor tensor in network.Parameters) _tensors.Add((tensor.Values, new float[tensor.Values.Length]));
            foreach (NamedTensor tensor in network.Buffers) _tensors.Add((tensor.Values, new float[tensor.Values.Length]));
        }

        /// <summary>The kept values (parameters, then buffers) once taken or loaded; null before.</summary>
        public IReadOnlyList<float[]>? Kept => _kept;

        public void Take()
        {
            foreach (var (live, kept) in _tensors) live.CopyTo(kept, 0);
            _kept ??= _tensors.ConvertAll(t => t.Kept).ToArray();
        }

        /// <summary>Takes <paramref name="values"/> (a position's <see cref="TrainingPosition.BestWeights"/>) as the kept values.</summary>
        public void Load(IReadOnlyList<float[]> values)
        {
            if (values.Count != _tensors.Count)
                throw new ArgumentException($"The resume position's best weights are {values.Count} tensors; the network has {_tensors.Count} parameters and buffers.", "options");
            for (int i = 0; i < values.Count; i++)
            {
                if (values[i]?.Length != _tensors[i].Kept.Length)
                    throw new ArgumentException($"Best weight tensor {i} of the resume position has {values[i]?.Length ?? 0} values; the network's has {_tensors[i].Kept.Length}.", "options");
            }
            for (int i = 0; i < values.Count; i++) values[i].CopyTo(_tensors[i].Kept, 0);
            _kept ??= _tensors.ConvertAll(t => t.Kept).ToArray();
        }

        public void Restore()
        {
            foreach (var (live, kept) in _tensors) kept.CopyTo(live, 0);
        }
    }
}

/// <summary>What <see cref="Trainer.Fit"/> did.</summary>
/// <param name="Epochs">Each epoch's result, in order.</param>
/// <param name="BestEpoch">The epoch with the lowest validation loss (whose weights the network holds at the end when early stopping
/// restored them), or null without validation rows.</param>
/// <param name="StoppedEarly">Whether early stopping ended the run before the last epoch.</param>
public sealed record FitResult(IReadOnlyList<EpochResult> Epochs, int? BestEpoch, bool StoppedEarly);
