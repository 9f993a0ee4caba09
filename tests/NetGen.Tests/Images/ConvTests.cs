using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Tests.Networks;
using Xunit;
using static NetGen.Tests.Networks.NetworkTestKit;
using Act = NetGen.Tests.Networks.ReferenceActivation;

namespace NetGen.Tests.Images;

/// <summary>
/// The generated conv2d layers against <see cref="ImageReference"/> (double precision, PyTorch's layouts): outputs, and every
/// gradient element against central differences of the reference's loss, for strides, padding (numbers, pairs, "same"
/// with odd and even kernels), several input channels in PyTorch's order, blocks of output channels with tails, every
/// fused activation, no bias, dropout and an activation layer after a convolution; at 1 to 4 threads.
/// </summary>
public sealed class ConvTests
{
    private const double H = 1e-5;

    /// <summary>The elements whose perturbation moves a pre-activation across a kink (not differentiable there) may be skipped: at most 1 in 100.</summary>
    private const double MostSkipped = 0.01;

    public static TheoryData<string> Networks() => new() { "convsmall", "convchannels", "convwide", "convdropout", "pooling", "poolfirst", "pooloverlap", "bnconv", "bnflat", "bnchannelsfirst" };

    internal static INetwork Create(string name, int? seed = null, int threads = 1) => name switch
    {
        "convsmall" => new ConvSmallNet(seed, threads: threads),
        "convchannels" => new ConvChannelsNet(seed, threads: threads),
        "convwide" => new ConvWideNet(seed, threads: threads),
        "convdropout" => new ConvDropoutNet(seed, threads: threads),
        "pooling" => new PoolingNet(seed, threads: threads),
        "poolfirst" => new PoolFirstNet(seed, threads: threads),
        "pooloverlap" => new PoolOverlapNet(seed, threads: threads),
        "bnconv" => new BnConvNet(seed, threads: threads),
        "bnflat" => new BnFlatNet(seed, threads: threads),
        "bnchannelsfirst" => new BnChannelsFirstNet(seed, threads: threads),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    /// <summary>images.nets.json again, by hand.</summary>
    internal static ImageReference Reference(string name, INetwork network) => name switch
    {
        "convsmall" => ImageReference.From(network, (1, 7, 6),
            ConvOp.Square("conv1", 1, 1, Act.Relu),
            new ConvOp("conv2", 2, 1, 0, 1, 0, 1, Act.Relu),
            new DenseOp("fc1")),
        "convchannels" => ImageReference.From(network, (3, 5, 6),
            ConvOp.Square("conv1", 2, 0, Act.LeakyRelu, alpha: 0.1),
            ConvOp.Square("conv2", 1, 1, Act.Tanh),
            new DenseOp("fc1")),
        "convwide" => ImageReference.From(network, (2, 4, 4),
            ConvOp.Square("conv1", 1, 1, Act.Relu, bias: false),
            new ConvOp("conv2", 1, 1, PadTop: 0, PadLeft: 1, PadBottom: 1, PadRight: 2, Act.Gelu), // "same", kernel [2, 4]
            new DenseOp("fc1", Act.Relu),
            new DenseOp("fc2")),
        "convdropout" => ImageReference.From(network, (1, 6, 6),
            ConvOp.Square("conv1", 1, 0, Act.Relu),
            new DropoutOp(0.3),
            ConvOp.Square("conv2", 1, 0),
            new ActivationOp(Act.Relu),
            new DenseOp("fc1")),
        "pooling" => ImageReference.From(network, (2, 9, 8),
            ConvOp.Square("conv1", 1, 1, Act.Relu),
            new MaxPoolOp(2, 2, 2, 2),
            ConvOp.Square("conv2", 1, 0, Act.Relu),
            new AvgPoolOp(2, 1, 1, 1),
            new DenseOp("fc1")),
        "poolfirst" => ImageReference.From(network, (3, 6, 6),
            new MaxPoolOp(3, 3, 2, 2),
            new DenseOp("fc1", Act.Relu),
            new DenseOp("fc2")),
        "pooloverlap" => ImageReference.From(network, (1, 9, 9),
            ConvOp.Square("conv1", 1, 0, Act.Relu),
            new AvgPoolOp(3, 3, 2, 2),
            ConvOp.Square("conv2", 1, 0, Act.Relu),
            new MaxPoolOp(2, 2, 1, 1),
            new DropoutOp(0.2),
            new DenseOp("fc1")),
        "bnconv" => ImageReference.From(network, (2, 6, 6),
            ConvOp.Square("conv1", 1, 1),
            new BatchNormOp("bn1"),
            new ActivationOp(Act.Relu),
            new MaxPoolOp(2, 2, 2, 2),
            ConvOp.Square("conv2", 1, 0, bias: false),
            new BatchNormOp("norm"),
            new ActivationOp(Act.Tanh),
            new DenseOp("fc1")),
        "bnflat" => ImageReference.From(network, (5, 1, 1),
            new DenseOp("fc1"),
            new BatchNormOp("bn1"),
            new ActivationOp(Act.Relu),
            new DropoutOp(0.2),
            new DenseOp("fc2"),
            new BatchNormOp("bn2"),
            new DenseOp("fc3")),
        "bnchannelsfirst" => ImageReference.From(network, (3, 4, 4),
            new AvgPoolOp(2, 2, 2, 2),
            new BatchNormOp("bn1"),
            new DenseOp("fc1")),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    /// <summary>The dropout masks of the network's next training call (convdropout: conv1's 8 x 4 x 4 outputs at rate 0.3).</summary>
    private static List<double[]>? Masks(string name, INetwork network, int rows) => name switch
    {
        "convdropout" => ImageReference.DropoutMasks(network.DropoutRandom!, rows, (0.3, 8 * 4 * 4)),
        "pooloverlap" => ImageReference.DropoutMasks(network.DropoutRandom!, rows, (0.2, 10 * 1 * 1)),
        "bnflat" => ImageReference.DropoutMasks(network.DropoutRandom!, rows, (0.2, 7)),
        _ => null,
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void Forward_MatchesTheReference(string name)
    {
        INetwork net = Create(name, seed: 3);
        const int rows = 70; // more than one chunk of Forward
        float[] inputs = RandomInputs(701, rows, net.InputSize);
        double[][] expected = Reference(name, net).Forward(inputs, rows);
        var logits = new float[rows * net.OutputSize];
        net.Forward(inputs, logits);
        for (int r = 0; r < rows; r++)
            for (int o = 0; o < net.OutputSize; o++)
                AssertClose(expected[r][o], logits[r * net.OutputSize + o], 1e-5, $"{name} logits[{r}, {o}]");
    }

    /// <summary>
    /// The reference is in double precision, so a small step (1e-5) gives a quotient good to about 1e-9. An element whose step
    /// moves any ReLU pre-activation across 0 (the reference's sign pattern changes) is skipped; at most 1% may be.
    /// </summary>
    [Theory]
    [InlineData("convsmall", 1, 11)]
    [InlineData("convchannels", 1, 21)]
    [InlineData("convwide", 1, 31)]
    [InlineData("convdropout", 1, 41)]
    [InlineData("pooling", 1, 51)]
    [InlineData("poolfirst", 1, 61)]
    [InlineData("pooloverlap", 1, 71)]
    [InlineData("bnconv", 1, 81)]
    [InlineData("bnflat", 1, 91)]
    [InlineData("bnchannelsfirst", 1, 101)]
    public void EveryGradientElement_MatchesCentralDifferences(string name, int seed, int dataSeed)
    {
        INetwork net = Create(name, seed);
        int rows = net.MaxBatchSize;
        float[] inputs = RandomInputs(dataSeed, rows, net.InputSize);
        int[] labels = RandomLabels(dataSeed + 1, rows, net);
        ImageReference reference = Reference(name, net);
        List<double[]>? masks = Masks(name, net, rows);
        double loss = ImageReference.CrossEntropy(reference.Forward(inputs, rows, masks, training: true), labels);
        string pattern = reference.Pattern;
        if (name is not ("convchannels" or "bnchannelsfirst")) Assert.True(reference.SawDeadRelu, "no ReLU output of 0 reached a later layer: the masked path would go unchecked");

        float generatedLoss = net.ComputeGradients(inputs, labels);
        AssertClose(loss, generatedLoss, 1e-5, "loss");
        double Loss() => ImageReference.CrossEntropy(reference.Forward(inputs, rows, masks, training: true), labels);
        int count = 0, skipped = 0;
        foreach (NamedTensor tensor in net.Parameters)
        {
            double[] values = reference.Tensors[tensor.Name].Values;
            foreach (int p in Sample(values.Length))
            {
                double original = values[p];
                values[p] = original + H;
                double plus = Loss();
                bool smooth = reference.Pattern == pattern;
                values[p] = original - H;
                double minus = Loss();
                smooth &= reference.Pattern == pattern;
                values[p] = original;
                count++;
                if (!smooth)
                {
                    skipped++;
                    continue;
                }
                double numeric = (plus - minus) / (2 * H);
                float generated = tensor.Gradients![tensor.Layout.IndexOf(p)];
                double tolerance = 1e-3 * Math.Abs(numeric) + 1e-6;
                Assert.True(Math.Abs(generated - numeric) <= tolerance,
                    $"{name} {tensor.Name} {p}: generated gradient {generated:R}, central difference {numeric:R}");
            }
        }
        Assert.Equal(net.Parameters.Sum(t => Sample(t.Values.Length).Count()), count);
        Assert.True(skipped <= MostSkipped * count, $"{skipped} of {count} elements sit on a kink");
    }

    /// <summary>
    /// The elements of a tensor whose gradients are checked: all of a small one; of a larger one, every k-th (k odd, so the
    /// sample crosses rows, channels and kernel positions) and the last, about <see cref="ElementsPerTensor"/> in all.
    /// </summary>
    private static IEnumerable<int> Sample(int length)
    {
        int step = length <= ElementsPerTensor ? 1 : length / ElementsPerTensor | 1;
        for (int p = 0; p < length; p += step) yield return p;
        if ((length - 1) % step != 0) yield return length - 1;
    }

    private const int ElementsPerTensor = 150;

    /// <summary>The batch's rows split between threads give the one-thread gradients bit for bit (every sum runs over the rows in order).</summary>
    [Theory]
    [MemberData(nameof(Networks))]
    public void Gradients_AtOneToFourThreads_AreTheSame(string name)
    {
        INetwork one = Create(name, seed: 4);
        int rows = one.MaxBatchSize;
        float[] inputs = RandomInputs(901, rows, one.InputSize);
        int[] labels = RandomLabels(902, rows, one);
        one.ComputeGradients(inputs, labels);
        for (int threads = 2; threads <= 4; threads++)
        {
            using var many = (IDisposable)Create(name, seed: 4, threads: threads);
            var net = (INetwork)many;
            net.ComputeGradients(inputs, labels);
            for (int t = 0; t < one.Parameters.Count; t++)
            {
                float[] expected = one.Parameters[t].Gradients!, actual = net.Parameters[t].Gradients!;
                Assert.Equal(expected, actual);
            }
            for (int t = 0; t < one.Buffers.Count; t++) Assert.Equal(one.Buffers[t].Values, net.Buffers[t].Values); // batch norm's running statistics
        }
    }

    private static void AssertClose(double expected, double actual, double relative, string what) =>
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected:R}, got {actual:R}");
}
