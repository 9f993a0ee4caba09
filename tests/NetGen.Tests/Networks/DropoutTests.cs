using System;
using System.Collections.Generic;
using System.Linq;
using MathNet.Numerics.LinearAlgebra;
using Xunit;
using static NetGen.Tests.Networks.NetworkTestKit;

namespace NetGen.Tests.Networks;

/// <summary>
/// Dropout as documented: in training each value of a dense layer's outputs is kept with probability 1 - rate and
/// scaled by 1/(1 - rate), else zeroed, with masks drawn from <c>DropoutRandom</c> (stream 2 of the seed) one
/// <c>NextFloat()</c> per value in row-major order, layer by layer; <c>Forward</c> and <c>Predict</c> never drop.
/// </summary>
public sealed class DropoutTests
{
    private const double Tolerance = 1e-5;

    [Theory]
    [InlineData(16)]
    [InlineData(-3)]
    public void DropoutRandom_IsStreamTwoOfTheSeed(int seed)
    {
        var net = new DropoutNet(seed);
        Assert.Equal(new RandomSource(seed, stream: 2).GetState(), net.DropoutRandom.GetState());
        Assert.Equal(new RandomSource(16, stream: 2).GetState(), new DropoutNet().DropoutRandom.GetState()); // the spec's seed
    }

    /// <summary>(a) Forward and Predict are deterministic, draw no masks, and equal the reference without dropout.</summary>
    [Fact]
    public void ForwardAndPredict_NeverDrop()
    {
        var net = new DropoutNet(seed: 2);
        float[] inputs = RandomInputs(2000, 9, DropoutNet.InputSize);
        ulong[] state = net.DropoutRandom.GetState();

        Matrix<float> first = Forward(net, inputs);
        Matrix<float> second = Forward(net, inputs);
        int[] predictions = Enumerable.Range(0, 9).Select(r => net.Predict(inputs.AsSpan(r * DropoutNet.InputSize, DropoutNet.InputSize))).ToArray();
        Assert.Equal(first, second);
        Assert.Equal(state, net.DropoutRandom.GetState());
        Matrix<double> expected = ReferenceMlp.From(net).Logits(ToMatrix(inputs, DropoutNet.InputSize));
        AssertClose(expected, first, Tolerance, "logits without dropout");
        for (int r = 0; r < 9; r++) Assert.Equal(expected.Row(r).MaximumIndex(), predictions[r]);

        // Training draws masks and moves the random source; Forward afterwards is again deterministic and mask-free.
        net.ComputeGradients(inputs.AsSpan(0, 4 * DropoutNet.InputSize), new[] { 0, 1, 2, 0 });
        Assert.NotEqual(state, net.DropoutRandom.GetState());
        Assert.Equal(first, Forward(net, inputs)); // the weights did not change
    }

    /// <summary>
    /// (b) Training calls' masks, replayed from DropoutRandom's state by the documented protocol, give the reference's
    /// loss and gradients; the network's random source ends where the replay does; repeated calls draw fresh masks;
    /// restoring the state repeats a call exactly.
    /// </summary>
    [Theory]
    [InlineData(1, 4)]
    [InlineData(2, 4)]
    [InlineData(4, 1)]
    public void TrainingMasks_AreTheReplayedProtocol(int seed, int rows)
    {
        var net = new DropoutNet(seed);
        ReferenceMlp reference = ReferenceMlp.From(net);
        var losses = new List<float>();
        var allMasks = new List<Matrix<double>?[]>();
        for (int call = 0; call < 3; call++)
        {
            float[] inputs = RandomInputs(2100 + call, rows, DropoutNet.InputSize, zeroFraction: 0.1);
            int[] labels = RandomLabels(2110 + call, rows, net);
            Matrix<double>?[] masks = DropoutReplay.NextMasks(net, rows, out ulong[] after);
            ulong[] before = net.DropoutRandom.GetState();

            float loss = net.ComputeGradients(inputs, labels);
            ReferenceMlp.Gradients expected = reference.Backward(ToMatrix(inputs, DropoutNet.InputSize), labels, masks);
            AssertClose(expected.Loss, loss, Tolerance, $"loss of call {call}");
            AssertGradients(expected, net, Tolerance);
            Assert.Equal(after, net.DropoutRandom.GetState());

            // The reference without the masks disagrees: the comparison above depends on them.
            Assert.True(Math.Abs(reference.LossOf(ToMatrix(inputs, DropoutNet.InputSize), labels) - loss) > 1e-4, "dropout did not change the loss");

            net.DropoutRandom.SetState(before);
            float[][] gradients = net.Parameters.Select(p => p.Gradients!.ToArray()).ToArray();
            Assert.Equal(loss, net.ComputeGradients(inputs, labels));
            for (int i = 0; i < gradients.Length; i++) Assert.Equal(gradients[i], net.Parameters[i].Gradients!);
            losses.Add(loss);
            allMasks.Add(masks);
        }

        // Every dropout layer both drops and keeps values over the calls, and no two calls share all their masks.
        for (int l = 0; l < 3; l++)
        {
            var values = allMasks.SelectMany(m => m[l]!.Enumerate()).ToArray();
            Assert.Contains(0.0, values);
            Assert.Contains(values, v => v > 1);
        }
        Assert.Null(allMasks[0][3]);
        Assert.NotEqual(allMasks[0][0], allMasks[1][0]);
    }

    /// <summary>
    /// (c) The network's own loss, with DropoutRandom restored before every evaluation so that every evaluation uses
    /// the same masks, has central differences that agree with the network's gradients (float differences, so looser
    /// than the double-precision check of <see cref="FiniteDifferenceTests"/>).
    /// </summary>
    [Theory]
    [InlineData(11, 2211)]
    [InlineData(14, 2214)]
    public void Gradients_MatchCentralDifferencesOfTheNetworksOwnLoss_WithTheMaskStateRestored(int seed, int dataSeed)
    {
        const float h = 3e-3f;
        var net = new DropoutNet(seed);
        int rows = net.MaxBatchSize;
        float[] inputs = RandomInputs(dataSeed, rows, DropoutNet.InputSize);
        int[] labels = RandomLabels(dataSeed + 1, rows, net);
        ulong[] state = net.DropoutRandom.GetState();

        // Away from the kinks of relu and leaky_relu (checked on the reference with the same masks).
        ReferenceMlp reference = ReferenceMlp.From(net);
        Matrix<double>?[] masks = DropoutReplay.NextMasks(net, rows, out _);
        double margin = KinkMargin(reference, reference.Forward(ToMatrix(inputs, DropoutNet.InputSize), masks));
        Assert.True(margin > 0.012, $"a pre-activation is within {margin:E2} of a kink");

        net.ComputeGradients(inputs, labels);
        float[][] analytic = net.Parameters.Select(p => p.Gradients!.ToArray()).ToArray();
        float Loss()
        {
            net.DropoutRandom.SetState(state);
            return net.ComputeGradients(inputs, labels);
        }

        float unrestored = net.ComputeGradients(inputs, labels);
        Assert.NotEqual(Loss(), unrestored); // without the restore, the masks (and the loss) change

        int count = 0;
        for (int t = 0; t < net.Parameters.Count; t++)
        {
            float[] values = net.Parameters[t].Values;
            for (int k = 0; k < values.Length; k++)
            {
                float original = values[k];
                values[k] = original + h;
                double up = values[k];
                double plus = Loss();
                values[k] = original - h;
                double down = values[k];
                double minus = Loss();
                values[k] = original;
                double numeric = (plus - minus) / (up - down);
                double gradient = analytic[t][k];
                Assert.True(Math.Abs(gradient - numeric) <= 2e-3 * Math.Abs(numeric) + 1e-4,
                    $"{net.Parameters[t].Name}[{k}]: gradient {gradient:R}, central difference of the network's loss {numeric:R}");
                count++;
            }
        }
        Assert.Equal(DropoutNet.ParameterCount, count);
    }

    /// <summary>
    /// (d) Statistics, seen through the public API only. In "dropstats" (1 input, 257 identity units, dropout 0.3, 1
    /// output, MSE) with fc1 = 1 everywhere and fc2 = 0, one row's output is 0 and its target -1, so dLoss/dfc2.weight[0, u]
    /// = 2 (0 - (-1)) * 1 * mask[u]: the gradient shows each mask value. Over 200 calls (51400 values) the kept fraction is
    /// 0.7 within 5 standard errors, every kept value is 1/0.7, and neighbouring values are independent.
    /// </summary>
    [Fact]
    public void Masks_KeepOneMinusRate_AndScaleKeptValuesByItsInverse()
    {
        const int calls = 200, units = 257;
        const double rate = 0.3;
        var net = new DropStatsNet(seed: 4);
        net.Fc1Weight.Clear();
        net.Fc1Bias.SetValues(Enumerable.Repeat(1f, units).ToArray());
        net.Fc2Weight.Clear();
        net.Fc2Bias.Clear();
        var masks = new double[calls, units];
        for (int call = 0; call < calls; call++)
        {
            float loss = net.ComputeGradients(new[] { 0.5f }, new[] { -1f });
            Assert.Equal(1f, loss);
            float[] gradient = Parameter(net, "fc2.weight").Gradients!;
            for (int u = 0; u < units; u++) masks[call, u] = gradient[u] / 2.0;
        }

        double[] all = masks.Cast<double>().ToArray();
        double scale = 1 / (1 - rate);
        Assert.All(all, m => Assert.True(m == 0 || Math.Abs(m - scale) <= 1e-6 * scale, $"mask value {m:R} is neither 0 nor {scale:R}"));
        int n = all.Length;
        double kept = all.Count(m => m != 0) / (double)n;
        double error = Math.Sqrt(rate * (1 - rate) / n);
        Assert.InRange(kept, 1 - rate - 5 * error, 1 - rate + 5 * error);

        // Both values kept for pairs of neighbours in a row: (1 - rate)^2 if independent.
        int pairs = 0, bothKept = 0;
        for (int call = 0; call < calls; call++)
        {
            for (int u = 0; u + 1 < units; u++)
            {
                pairs++;
                if (masks[call, u] != 0 && masks[call, u + 1] != 0) bothKept++;
            }
        }
        double p = (1 - rate) * (1 - rate);
        double pairFraction = bothKept / (double)pairs, pairError = Math.Sqrt(p * (1 - p) / pairs);
        Assert.InRange(pairFraction, p - 6 * pairError, p + 6 * pairError);

        // Each unit is dropped in some calls and kept in others (a stuck unit would be kept or dropped 200 times).
        for (int u = 0; u < units; u++)
        {
            int keptCount = Enumerable.Range(0, calls).Count(c => masks[c, u] != 0);
            Assert.InRange(keptCount, 1, calls - 1);
        }
    }

    /// <summary>A rejected batch draws no masks.</summary>
    [Fact]
    public void RejectedBatches_LeaveDropoutRandomUntouched()
    {
        var net = new DropoutNet(seed: 1);
        ulong[] state = net.DropoutRandom.GetState();
        Assert.ThrowsAny<ArgumentException>(() => net.ComputeGradients(new float[2 * DropoutNet.InputSize], new[] { 0, 3 }));
        Assert.ThrowsAny<ArgumentException>(() => net.TrainStep(new float[5 * DropoutNet.InputSize], new int[5]));
        Assert.Equal(state, net.DropoutRandom.GetState());
    }
}
