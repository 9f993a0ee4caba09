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
        AssertLearns(new ToyNet(seed: 7), sample, CrossEntropy, minInitialLoss: 0.8, maxLoss: 0.1, minAccuracy: 0.95);
    }

    [Fact]
    public void XorQuadrants_AreLearned()
    {
        AssertLearns(new ToyNet(seed: 7), Xor, CrossEntropy, minInitialLoss: 0.8, maxLoss: 0.1, minAccuracy: 0.95);
    }

    /// <summary>Binary cross-entropy on one logit, SGD with momentum: chance is ln 2 = 0.69.</summary>
    [Fact]
    public void XorQuadrants_AreLearned_WithBinaryCrossEntropyAndSgdMomentum()
    {
        AssertLearns(new XorBceNet(seed: 3), Xor, BinaryCrossEntropy, minInitialLoss: 0.6, maxLoss: 0.1, minAccuracy: 0.95);
    }

    /// <summary>MSE on one-hot targets, AdamW: a constant 0.5 output scores 0.25.</summary>
    [Fact]
    public void XorQuadrants_AreLearned_WithMseAndAdamW()
    {
        AssertLearns(new XorMseNet(seed: 3), Xor, MeanSquaredError, minInitialLoss: 0.2, maxLoss: 0.08, minAccuracy: 0.95);
    }

    /// <summary>Not linearly separable: class 1 where x and y have the same sign. A 0.1 margin around the axes.</summary>
    private static (float X, float Y, int Label) Xor(Random random)
    {
        double x = (0.1 + 0.9 * random.NextDouble()) * (random.Next(2) * 2 - 1);
        double y = (0.1 + 0.9 * random.NextDouble()) * (random.Next(2) * 2 - 1);
        return ((float)x, (float)y, x * y > 0 ? 1 : 0);
    }

    private static void AssertLearns(INetwork net, Func<Random, (float X, float Y, int Label)> sample, Func<double[], int, double> loss,
        double minInitialLoss, double maxLoss, double minAccuracy)
    {
        var random = new Random(2024);
        var train = Enumerable.Range(0, 320).Select(_ => sample(random)).ToArray();
        var test = Enumerable.Range(0, 300).Select(_ => sample(random)).ToArray();
        float[] trainInputs = train.SelectMany(p => new[] { p.X, p.Y }).ToArray();
        int[] trainLabels = train.Select(p => p.Label).ToArray();

        int batch = net.MaxBatchSize, batches = train.Length / batch;
        double initialLoss = MeanLoss(net, trainInputs, trainLabels, loss);
        for (int step = 0; step < Steps; step++)
        {
            int start = step % batches * batch;
            float stepLoss = net.TrainStep(trainInputs.AsSpan(start * 2, batch * 2), trainLabels.AsSpan(start, batch));
            Assert.True(float.IsFinite(stepLoss), $"step {step}: loss {stepLoss}");
        }

        double finalLoss = MeanLoss(net, trainInputs, trainLabels, loss);
        double accuracy = test.Count(p => net.Predict(new[] { p.X, p.Y }) == p.Label) / (double)test.Length;
        Assert.True(initialLoss > minInitialLoss, $"the untrained network already fits: loss {initialLoss:F3}");
        Assert.True(finalLoss < maxLoss, $"training loss {initialLoss:F3} -> {finalLoss:F3} after {Steps} steps, expected < {maxLoss}");
        Assert.True(accuracy > minAccuracy, $"held-out accuracy {accuracy:P1} after {Steps} steps, expected > {minAccuracy:P0}");
    }

    /// <summary>The mean of a per-row loss of the network's outputs, computed here in double.</summary>
    private static double MeanLoss(INetwork net, float[] inputs, int[] labels, Func<double[], int, double> loss)
    {
        var outputs = new float[labels.Length * net.OutputSize];
        net.Forward(inputs, outputs);
        return Enumerable.Range(0, labels.Length)
            .Average(r => loss(outputs.AsSpan(r * net.OutputSize, net.OutputSize).ToArray().Select(v => (double)v).ToArray(), labels[r]));
    }

    /// <summary>Softmax cross-entropy of one row: logsumexp(z) - z[label].</summary>
    private static double CrossEntropy(double[] z, int label)
    {
        double max = z.Max();
        return max + Math.Log(z.Sum(v => Math.Exp(v - max))) - z[label];
    }

    /// <summary>-log sigmoid(z) for label 1, -log(1 - sigmoid(z)) for label 0.</summary>
    private static double BinaryCrossEntropy(double[] z, int label) => Math.Log(1 + Math.Exp(label == 1 ? -z[0] : z[0]));

    /// <summary>Mean over the outputs of (y - onehot(label))^2.</summary>
    private static double MeanSquaredError(double[] y, int label) => y.Select((v, o) => (v - (o == label ? 1 : 0)) * (v - (o == label ? 1 : 0))).Average();

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
