using System;
using System.ComponentModel;

namespace NetGen.Kernels;

/// <summary>
/// The argument checks of generated networks, with the messages their callers see. Generated networks call these;
/// they are public for them.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Checks
{
    /// <summary>The most threads a network trains on.</summary>
    public const int MaxThreads = 256;

    /// <summary>Values one batch buffer may hold: a quarter of int.MaxValue, so byte counts and indices stay in range.</summary>
    public const long MaxBufferValues = int.MaxValue / 4;

    /// <summary>The constructor's thread count: 1 to <see cref="MaxThreads"/>.</summary>
    public static int Threads(int threads) =>
        threads is >= 1 and <= MaxThreads ? threads : throw new ArgumentOutOfRangeException(nameof(threads), threads, "Threads must be from 1 to 256.");

    /// <summary>The constructor's batch size: at least 1, and small enough that a batch of the widest rows fits a buffer.</summary>
    public static int MaxBatchSize(int maxBatchSize, long widestRow)
    {
        if (maxBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(maxBatchSize), maxBatchSize, "The batch size must be at least 1.");
        if (maxBatchSize * widestRow > MaxBufferValues)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBatchSize), maxBatchSize,
                $"The batch size is too large for this network's buffers: at most {MaxBufferValues / widestRow} rows of {widestRow} values fit.");
        }
        return maxBatchSize;
    }

    /// <summary>A training batch with class labels: the rows it has.</summary>
    public static int Labels(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, int maxBatchSize, int inputSize, int classCount)
    {
        int rows = labels.Length;
        if (rows < 1 || rows > maxBatchSize) throw new ArgumentException($"A batch has 1 to {maxBatchSize} rows; got {rows} labels.", nameof(labels));
        if (inputs.Length != rows * inputSize)
            throw new ArgumentException($"{rows} labels need {rows * inputSize} input values ({rows} rows of {inputSize}); got {inputs.Length}.", nameof(inputs));
        foreach (int label in labels)
        {
            if ((uint)label >= classCount) throw new ArgumentOutOfRangeException(nameof(labels), label, $"Labels are class indices from 0 to {classCount - 1}.");
        }
        return rows;
    }

    /// <summary>A training batch with float targets <c>[rows, outputSize]</c>: the rows it has.</summary>
    public static int Targets(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int maxBatchSize, int inputSize, int outputSize)
    {
        if (targets.Length % outputSize != 0) throw new ArgumentException($"Targets must be whole rows of {outputSize} values; got {targets.Length}.", nameof(targets));
        int rows = targets.Length / outputSize;
        if (rows < 1 || rows > maxBatchSize) throw new ArgumentException($"A batch has 1 to {maxBatchSize} rows; got {rows} rows of targets.", nameof(targets));
        if (inputs.Length != rows * inputSize)
            throw new ArgumentException($"{rows} rows of targets need {rows * inputSize} input values ({rows} rows of {inputSize}); got {inputs.Length}.", nameof(inputs));
        return rows;
    }

    /// <summary>Forward's arguments: whole input rows, and room for their outputs. Returns the rows.</summary>
    public static int Forward(ReadOnlySpan<float> inputs, Span<float> logits, int inputSize, int outputSize)
    {
        if (inputs.Length % inputSize != 0) throw new ArgumentException($"Inputs must be whole rows of {inputSize} values; got {inputs.Length}.", nameof(inputs));
        int rows = inputs.Length / inputSize;
        if (logits.Length != rows * outputSize)
            throw new ArgumentException($"Logits must hold {rows} rows of {outputSize} values; got {logits.Length}.", nameof(logits));
        return rows;
    }

    /// <summary>Predict's argument: one input row.</summary>
    public static void Row(ReadOnlySpan<float> input, int inputSize)
    {
        if (input.Length != inputSize) throw new ArgumentException($"An input row has {inputSize} values; got {input.Length}.", nameof(input));
    }

    /// <summary>Classify's argument: one row of outputs.</summary>
    public static void Outputs(ReadOnlySpan<float> outputs, int outputSize)
    {
        if (outputs.Length != outputSize) throw new ArgumentException($"A row of outputs has {outputSize} values; got {outputs.Length}.", nameof(outputs));
    }

    /// <summary>A new step count: not negative.</summary>
    public static long Step(long value) =>
        value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The step count cannot be negative.");
}
