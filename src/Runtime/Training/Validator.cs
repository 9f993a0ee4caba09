using System;

namespace NetGen;

/// <summary>
/// Computes a <see cref="ValidationResult"/> of a network on a dataset, a chunk of rows at a time through
/// <see cref="INetwork.Forward"/>, with buffers made once (the fit loop validates every epoch with one instance).
/// </summary>
internal sealed class Validator
{
    /// <summary>Rows per forward call.</summary>
    private const int ChunkRows = 256;

    private readonly INetwork _network;
    private readonly IDataset _data;
    private readonly float[] _inputs, _outputs, _targets;
    private readonly int[] _labels, _indices;
    private readonly double[] _targetSum, _targetSquares, _squaredErrors;

    public Validator(INetwork network, IDataset data)
    {
        _network = network;
        _data = data;
        _inputs = new float[ChunkRows * network.InputSize];
        _outputs = new float[ChunkRows * network.OutputSize];
        _targets = new float[ChunkRows * Math.Max(1, data.TargetSize)];
        _labels = new int[ChunkRows];
        _indices = new int[ChunkRows];
        _targetSum = new double[network.OutputSize];
        _targetSquares = new double[network.OutputSize];
        _squaredErrors = new double[network.OutputSize];
    }

    public ValidationResult Run()
    {
        int outputs = _network.OutputSize;
        bool labelled = _data.ClassCount > 0;
        double loss = 0, absolute = 0;
        int correct = 0;
        Array.Clear(_targetSum);
        Array.Clear(_targetSquares);
        Array.Clear(_squaredErrors);
        for (int first = 0; first < _data.Count; first += ChunkRows)
        {
            int rows = Math.Min(ChunkRows, _data.Count - first);
            for (int i = 0; i < rows; i++) _indices[i] = first + i;
            Span<float> inputs = _inputs.AsSpan(0, rows * _network.InputSize);
            if (labelled) _data.CopyBatch(_indices.AsSpan(0, rows), inputs, _labels.AsSpan(0, rows));
            else _data.CopyBatch(_indices.AsSpan(0, rows), inputs, _targets.AsSpan(0, rows * outputs));
            _network.Forward(inputs, _outputs.AsSpan(0, rows * outputs));
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<float> z = _outputs.AsSpan(r * outputs, outputs);
                if (labelled)
                {
                    int label = _labels[r];
                    loss += LabelLoss(z, label);
                    if (_network.Classify(z) == label) correct++;
                }
                else
                {
                    ReadOnlySpan<float> t = _targets.AsSpan(r * outputs, outputs);
                    for (int o = 0; o < outputs; o++)
                    {
                        double y = z[o], target = t[o], difference = y - target;
                        loss += _network.Loss == LossKind.BinaryCrossEntropy ? BinaryCrossEntropy(y, target) : difference * difference;
                        absolute += Math.Abs(difference);
                        _squaredErrors[o] += difference * difference;
                        _targetSum[o] += target;
                        _targetSquares[o] += target * target;
                    }
                }
            }
        }
        int count = _data.Count;
        if (labelled)
        {
            // Cross-entropy averages over the rows; the element-wise losses over all outputs of all rows.
            double mean = _network.Loss == LossKind.CrossEntropy ? loss / count : loss / ((double)count * outputs);
            return new ValidationResult(mean, count) { Accuracy = 100.0 * correct / count };
        }
        double values = (double)count * outputs, squared = 0, r2 = 0;
        for (int o = 0; o < outputs; o++)
        {
            squared += _squaredErrors[o];
            double targetMean = _targetSum[o] / count;
            double deviations = _targetSquares[o] - count * targetMean * targetMean;
            r2 += deviations > 1e-12 * Math.Max(1, _targetSquares[o]) ? 1 - _squaredErrors[o] / deviations : (_squaredErrors[o] == 0 ? 1 : 0);
        }
        return new ValidationResult(loss / values, count)
        {
            MeanSquaredError = squared / values,
            MeanAbsoluteError = absolute / values,
            R2 = r2 / outputs,
        };
    }

    /// <summary>The loss of one row's outputs against its class label, as the network's training loss counts it.</summary>
    private double LabelLoss(ReadOnlySpan<float> z, int label)
    {
        switch (_network.Loss)
        {
            case LossKind.CrossEntropy:
                double max = z[0];
                for (int o = 1; o < z.Length; o++) max = Math.Max(max, z[o]);
                double sum = 0;
                for (int o = 0; o < z.Length; o++) sum += Math.Exp(z[o] - max);
                return max + Math.Log(sum) - z[label];
            case LossKind.BinaryCrossEntropy:
                // One output: the label is the target (0 or 1); several: one-hot targets, as the generated TrainStep makes them.
                if (z.Length == 1) return BinaryCrossEntropy(z[0], label);
                double total = 0;
                for (int o = 0; o < z.Length; o++) total += BinaryCrossEntropy(z[o], o == label ? 1 : 0);
                return total;
            default:
                double squares = 0;
                for (int o = 0; o < z.Length; o++)
                {
                    double difference = z[o] - (o == label ? 1 : 0);
                    squares += difference * difference;
                }
                return squares;
        }
    }

    /// <summary>PyTorch's <c>BCEWithLogitsLoss</c> of one logit: max(z, 0) - z t + log(1 + e^-|z|).</summary>
    private static double BinaryCrossEntropy(double z, double t) => Math.Max(z, 0) - z * t + Math.Log(1 + Math.Exp(-Math.Abs(z)));
}
