using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace NetGen.Tests.ModelFiles;

/// <summary>
/// A hand-built <see cref="INetwork"/> with batch norm state, for the model files only (the generator has no batch norm
/// layer yet): parameters (with gradients), <see cref="INetwork.Buffers"/> (running statistics), <see cref="INetwork.BatchCounters"/>
/// and Adam's state for every parameter, filled with values drawn from its seed. It cannot train or compute outputs.
/// </summary>
internal sealed class FakeBatchNormNetwork : INetwork
{
    private readonly List<NamedTensor> _parameters = new();
    private readonly List<NamedTensor> _buffers = new();
    private readonly List<NamedTensor> _state = new();
    private readonly List<string> _counters = new();

    /// <param name="name">The network's name.</param>
    /// <param name="layers">
    /// Each layer: its name, its parameters' shapes (<c>weight</c> then, if given, <c>bias</c>) and whether it is a batch norm,
    /// which adds <c>running_mean</c> and <c>running_var</c> of its weight's shape and a <c>num_batches_tracked</c> counter.
    /// </param>
    /// <param name="seed">Draws every value.</param>
    public FakeBatchNormNetwork(string name, IEnumerable<(string Name, int[] Weight, int[]? Bias, bool BatchNorm)> layers, int seed = 1)
    {
        NetworkName = name;
        Seed = seed;
        var random = new Random(seed);
        float[] Draw(int[] shape, float low, float high) =>
            Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => low + (high - low) * (float)random.NextDouble()).ToArray();
        NamedTensor Parameter(string tensor, int[] shape)
        {
            float[] values = Draw(shape, -1, 1);
            return new NamedTensor(tensor, shape, values, new float[values.Length]);
        }

        var architecture = new StringBuilder("fake");
        foreach (var (layer, weight, bias, batchNorm) in layers)
        {
            architecture.Append($"; {layer} {(batchNorm ? "batch_norm" : "layer")} [{string.Join(", ", weight)}]");
            _parameters.Add(Parameter(layer + ".weight", weight));
            if (bias is not null) _parameters.Add(Parameter(layer + ".bias", bias));
            if (!batchNorm) continue;
            _buffers.Add(new NamedTensor(layer + ".running_mean", weight, Draw(weight, -1, 1), null));
            _buffers.Add(new NamedTensor(layer + ".running_var", weight, Draw(weight, 0.5f, 2), null));
            _counters.Add(layer + ".num_batches_tracked");
        }
        foreach (NamedTensor p in _parameters)
        {
            _state.Add(new NamedTensor(p.Name + ".exp_avg", p.Shape, Draw(p.Shape, -0.01f, 0.01f), null));
            _state.Add(new NamedTensor(p.Name + ".exp_avg_sq", p.Shape, Draw(p.Shape, 0, 0.001f), null));
        }
        Architecture = architecture.ToString();
        SpecHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Architecture)))[..16];
        Step = 0;
    }

    /// <summary>
    /// Two dense layers around a 1-d batch norm: <c>fc1</c> [3, 5] with bias, <c>bn1</c> [3], <c>fc2</c> [2, 3] with bias.
    /// </summary>
    public static FakeBatchNormNetwork Small(int seed = 1) => new("fakebn", new (string, int[], int[]?, bool)[]
    {
        ("fc1", new[] { 3, 5 }, new[] { 3 }, false),
        ("bn1", new[] { 3 }, new[] { 3 }, true),
        ("fc2", new[] { 2, 3 }, new[] { 2 }, false),
    }, seed);

    /// <summary>The state_dict of <c>cnn_bn</c> in Fixtures/pytorch (its README), in PyTorch's order.</summary>
    public static FakeBatchNormNetwork CnnBn(int seed = 1) => new("cnn_bn", new (string, int[], int[]?, bool)[]
    {
        ("conv1", new[] { 8, 1, 3, 3 }, null, false),
        ("bn1", new[] { 8 }, new[] { 8 }, true),
        ("conv2", new[] { 16, 8, 3, 3 }, new[] { 16 }, false),
        ("bn2", new[] { 16 }, new[] { 16 }, true),
        ("fc1", new[] { 32, 144 }, new[] { 32 }, false),
        ("bn3", new[] { 32 }, new[] { 32 }, true),
        ("fc2", new[] { 10, 32 }, new[] { 10 }, false),
    }, seed);

    public string NetworkName { get; }

    public int InputSize => _parameters[0].Shape.Skip(1).Aggregate(1, (a, b) => a * b);

    public int OutputSize => _parameters[^1].Shape[0];

    public int ClassCount => OutputSize;

    public LossKind Loss => LossKind.CrossEntropy;

    public int ParameterCount => _parameters.Sum(p => p.Values.Length);

    public int MaxBatchSize => 4;

    public int Threads => 1;

    public float LearningRate { get; set; } = 0.001f;

    public int Seed { get; }

    public TrainingDefaults Defaults => new(4, 1, Seed);

    public long Step { get; set; }

    public string Architecture { get; }

    public string SpecHash { get; }

    public RandomSource? DropoutRandom => null;

    public IReadOnlyList<NamedTensor> Parameters => _parameters;

    public IReadOnlyList<NamedTensor> OptimizerState => _state;

    public IReadOnlyList<NamedTensor> Buffers => _buffers;

    public IReadOnlyList<string> BatchCounters => _counters;

    public float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels) => throw new NotSupportedException();

    public float ComputeGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels) => throw new NotSupportedException();

    public void OptimizerStep() => throw new NotSupportedException();

    public void Forward(ReadOnlySpan<float> inputs, Span<float> logits) => throw new NotSupportedException();

    public int Predict(ReadOnlySpan<float> input) => throw new NotSupportedException();

    public int Classify(ReadOnlySpan<float> outputs) => throw new NotSupportedException();

    public void Dispose()
    {
    }
}
