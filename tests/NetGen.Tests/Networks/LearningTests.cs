using System;
using System.Linq;
using Xunit;

namespace NetGen.Tests.Networks;

/// <summary>200 TrainSteps on small synthetic 2-D problems learn them: low loss, high held-out accuracy.</summary>
public sealed class LearningTests
{
    private const int Steps = 200;

    [Fact]
    public void ThreeGaussianClusters_AreLearned()
    {
        // Centers 2 apart from the origin at 90, 210 and 330 degrees, standard deviation 0.5.
        Func<Random, (float X, float Y, int Label)> sample = random =>
        {
            int label = random.Next(3);
            double angle = Math.PI / 2 + label * 2 * Math.PI / 3;
            return ((float)(2 * Math.Cos(angle) + 0.5 * Gaussian(random)), (float)(2 * Math.Sin(angle) + 0.5 * Gaussian(random)), label);
        };
        AssertLearns(sample, maxLoss: 0.1, minAccuracy: 0.95);
    }

    [Fact]
    public void XorQuadrants_AreLearned()
    {
        // Not linearly separable: class 1 where x and y have the same sign. A 0.1 margin around the axes.
        Func<Random, (float X, float Y, int Label)> sample = random =>
        {
            double x = (0.1 + 0.9 * random.NextDouble()) * (random.Next(2) * 2 - 1);
            double y = (0.1 + 0.9 * random.NextDouble()) * (random.Next(2) * 2 - 1);
            return ((float)x, (float)y, x * y > 0 ? 1 : 0);
        };
        AssertLearns(sample, maxLoss: 0.1, minAccuracy: 0.95);
    }

    private static void AssertLearns(Func<Random, (float X, float Y, int Label)> sample, double maxLoss, double minAccuracy)
    {
        var random = new Random(2024);
        var train = Enumerable.Range(0, 320).Select(_ => sample(random)).ToArray();
        var test = Enumerable.Range(0, 300).Select(_ => sample(random)).ToArray();
        float[] trainInputs = train.SelectMany(p => new[] { p.X, p.Y }).ToArray();
        int[] trainLabels = train.Select(p => p.Label).ToArray();

        var net = new ToyNet(seed: 7);
        int batch = net.MaxBatchSize, batches = train.Length / batch;
        double initialLoss = MeanLoss(net, trainInputs, trainLabels);
        for (int step = 0; step < Steps; step++)
        {
            int start = step % batches * batch;
            float loss = net.TrainStep(trainInputs.AsSpan(start * 2, batch * 2), trainLabels.AsSpan(start, batch));
            Assert.True(float.IsFinite(loss), $"step {step}: loss {loss}");
        }

        double finalLoss = MeanLoss(net, trainInputs, trainLabels);
        double accuracy = test.Count(p => net.Predict(new[] { p.X, p.Y }) == p.Label) / (double)test.Length;
        Assert.True(initialLoss > 0.8, $"the untrained network already fits: loss {initialLoss:F3}");
        Assert.True(finalLoss < maxLoss, $"training loss {initialLoss:F3} -> {finalLoss:F3} after {Steps} steps, expected < {maxLoss}");
        Assert.True(accuracy > minAccuracy, $"held-out accuracy {accuracy:P1} after {Steps} steps, expected > {minAccuracy:P0}");
    }

    /// <summary>Mean softmax cross-entropy of the network's logits, computed here in double.</summary>
    private static double MeanLoss(ToyNet net, float[] inputs, int[] labels)
    {
        var logits = new float[labels.Length * ToyNet.OutputSize];
        net.Forward(inputs, logits);
        double total = 0;
        for (int r = 0; r < labels.Length; r++)
        {
            var z = logits.AsSpan(r * ToyNet.OutputSize, ToyNet.OutputSize).ToArray().Select(v => (double)v).ToArray();
            double max = z.Max();
            total += max + Math.Log(z.Sum(v => Math.Exp(v - max))) - z[labels[r]];
        }
        return total / labels.Length;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
