using System;
using System.Linq;
using Xunit;

namespace NetGen.Tests.Images;

/// <summary>What the difference quotients cannot see: where a max-pool sends the gradient when its window ties.</summary>
public sealed class PoolTests
{
    /// <summary>
    /// pooltie: conv1 (1x1) with weight 0 and bias 0.5 makes every value 0.5, conv2 (1x1, weight 1) passes them on, so every
    /// max-pool window ties. PyTorch sends each window's gradient to its first value in row-major order, the top left; then
    /// conv1's weight gradient is the sum over rows and windows of the input at the window's top left times the window's
    /// gradient, which the test computes from the dense layer's weights and the softmax, in double.
    /// </summary>
    [Fact]
    public void A_tied_max_pool_window_sends_its_gradient_to_its_first_value()
    {
        var net = new PoolTieNet(seed: 1);
        NamedTensor conv1W = net.Parameters.Single(t => t.Name == "conv1.weight"), conv1B = net.Parameters.Single(t => t.Name == "conv1.bias");
        NamedTensor conv2W = net.Parameters.Single(t => t.Name == "conv2.weight"), conv2B = net.Parameters.Single(t => t.Name == "conv2.bias");
        conv1W.Values[0] = 0f;
        conv1B.Values[0] = 0.5f;
        conv2W.Values[0] = 1f;
        conv2B.Values[0] = 0f;
        const int rows = 2;
        float[] inputs = Enumerable.Range(0, rows * 16).Select(i => (float)(0.1 + 0.05 * i)).ToArray(); // every pixel its own value
        int[] labels = { 1, 0 };
        net.ComputeGradients(inputs, labels);

        NamedTensor fcW = net.Parameters.Single(t => t.Name == "fc1.weight"), fcB = net.Parameters.Single(t => t.Name == "fc1.bias");
        double expected = 0, last = 0;
        for (int r = 0; r < rows; r++)
        {
            // Every pooled value is 0.5: the logits, the softmax and dLoss/dlogits (mean over the rows).
            double[] logits = new double[2];
            for (int k = 0; k < 2; k++)
            {
                logits[k] = fcB.Values[k];
                for (int i = 0; i < 4; i++) logits[k] += fcW[k, i] * 0.5;
            }
            double max = logits.Max(), sum = logits.Sum(z => Math.Exp(z - max));
            double[] dLogits = logits.Select((z, k) => (Math.Exp(z - max) / sum - (k == labels[r] ? 1 : 0)) / rows).ToArray();
            for (int window = 0; window < 4; window++)
            {
                double g = dLogits[0] * fcW[0, window] + dLogits[1] * fcW[1, window];
                int top = window / 2 * 2, left = window % 2 * 2;
                expected += inputs[r * 16 + top * 4 + left] * g; // the first value of the window
                last += inputs[r * 16 + (top + 1) * 4 + left + 1] * g; // what another rule (the last value) would give
            }
        }
        Assert.True(Math.Abs(expected - last) > 1e-3, "the rules must differ for the test to tell them apart");
        Assert.True(Math.Abs(conv1W.Gradients![0] - expected) <= 1e-5 * Math.Max(1, Math.Abs(expected)),
            $"conv1.weight's gradient {conv1W.Gradients[0]:R}, expected {expected:R} (the first of each tied window; the last would give {last:R})");
    }
}
