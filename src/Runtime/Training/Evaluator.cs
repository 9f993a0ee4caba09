using System;
using System.Threading;
using System.Threading.Tasks;

namespace NetGen;

/// <summary>Runs a network over a labelled set and counts correct predictions (the network's <see cref="INetwork.Classify"/> of its outputs).</summary>
public static class Evaluator
{
    /// <summary>Rows per forward call: large enough to amortize the call, small enough to stay in cache.</summary>
    private const int ChunkRows = 256;

    /// <summary>Evaluates <paramref name="network"/> on <paramref name="data"/>.</summary>
    /// <param name="network">A generated network.</param>
    /// <param name="data">A labelled image set whose pixel count equals the network's input size.</param>
    /// <param name="threads">Threads that run chunks of rows at once (the network's Forward is thread-safe); at most as many
    /// as the machine has processors run, since more would only take turns.</param>
#pragma warning disable RS0027 // 0.1.0's overload keeps its optional parameter; the IDataset overloads beside it have none.
    public static EvaluationResult Evaluate(INetwork network, ImageDataset data, int threads = 1) => Evaluate(network, (IDataset)data, threads);
#pragma warning restore RS0027

    /// <summary>Evaluates <paramref name="network"/> on labelled rows, on one thread.</summary>
    /// <param name="network">A generated network.</param>
    /// <param name="data">Labelled rows of the network's input size (<see cref="Validate"/> measures rows with float targets).</param>
    public static EvaluationResult Evaluate(INetwork network, IDataset data) => Evaluate(network, data, threads: 1);

    /// <summary>Evaluates <paramref name="network"/> on labelled rows.</summary>
    /// <param name="network">A generated network.</param>
    /// <param name="data">Labelled rows of the network's input size (<see cref="Validate"/> measures rows with float targets).</param>
    /// <param name="threads">Threads that run chunks of rows at once (the network's Forward is thread-safe); at most as many
    /// as the machine has processors run, since more would only take turns.</param>
    public static EvaluationResult Evaluate(INetwork network, IDataset data, int threads)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "At least one thread.");
        if (data.ClassCount == 0) throw new ArgumentException("The rows have float targets, not class labels: measure them with Evaluator.Validate.", nameof(data));
        Trainer.CheckShapes(network, data, nameof(data));
        int classes = network.ClassCount;
        int chunks = (data.Count + ChunkRows - 1) / ChunkRows;
        var confusion = new int[classes, classes];
        var predictions = new int[data.Count];
        var gate = new Lock();
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = Math.Min(threads, Environment.ProcessorCount) },
            () => new Worker(network, classes, predictions),
            (chunk, _, worker) => worker.Run(data, chunk * ChunkRows, Math.Min(ChunkRows, data.Count - chunk * ChunkRows)),
            worker =>
            {
                lock (gate)
                {
                    for (int i = 0; i < classes; i++)
                        for (int j = 0; j < classes; j++) confusion[i, j] += worker.Confusion[i, j];
                }
            });
        int correct = 0;
        for (int i = 0; i < classes; i++) correct += confusion[i, i];
        return new EvaluationResult(correct, data.Count, confusion, predictions);
    }

    /// <summary>
    /// The loss and metrics of <paramref name="network"/> on <paramref name="data"/>: accuracy for labelled rows; mean squared
    /// and absolute error and R^2 for rows with float targets.
    /// </summary>
    public static ValidationResult Validate(INetwork network, IDataset data)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        Trainer.CheckShapes(network, data, nameof(data));
        if (data.Count == 0) throw new ArgumentException("No rows to validate on.", nameof(data));
        return new Validator(network, data).Run();
    }

    /// <summary>Buffers and counts of one thread.</summary>
    private sealed class Worker(INetwork network, int classes, int[] predictions)
    {
        private readonly float[] _inputs = new float[ChunkRows * network.InputSize];
        private readonly float[] _outputs = new float[ChunkRows * network.OutputSize];
        private readonly int[] _labels = new int[ChunkRows];
        private readonly int[] _indices = new int[ChunkRows];

        public int[,] Confusion { get; } = new int[classes, classes];

        public Worker Run(IDataset data, int first, int rows)
        {
            for (int i = 0; i < rows; i++) _indices[i] = first + i;
            data.CopyBatch(_indices.AsSpan(0, rows), _inputs.AsSpan(0, rows * network.InputSize), _labels.AsSpan(0, rows));
            int outputs = network.OutputSize;
            network.Forward(_inputs.AsSpan(0, rows * network.InputSize), _outputs.AsSpan(0, rows * outputs));
            for (int r = 0; r < rows; r++)
            {
                int predicted = network.Classify(_outputs.AsSpan(r * outputs, outputs));
                predictions[first + r] = predicted;
                Confusion[_labels[r], predicted]++;
            }
            return this;
        }
    }
}
