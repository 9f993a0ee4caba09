using System;

namespace NetGen.Tests.Training;

/// <summary>Synthetic data for the fit loop's tests, drawn from System.Random with fixed seeds.</summary>
internal static class FitData
{
    /// <summary>Three clouds of points around (0, 2), (2, -1) and (-2, -1), <paramref name="perClass"/> of each, in class order.</summary>
    public static ArrayDataset Blobs(int perClass, int seed, double spread = 0.6)
    {
        var random = new Random(seed);
        double[][] centres = { new[] { 0.0, 2.0 }, new[] { 2.0, -1.0 }, new[] { -2.0, -1.0 } };
        var inputs = new float[3 * perClass * 2];
        var labels = new int[3 * perClass];
        for (int c = 0, row = 0; c < 3; c++)
        {
            for (int i = 0; i < perClass; i++, row++)
            {
                inputs[2 * row] = (float)(centres[c][0] + spread * Gaussian(random));
                inputs[2 * row + 1] = (float)(centres[c][1] + spread * Gaussian(random));
                labels[row] = c;
            }
        }
        return ArrayDataset.WithLabels(inputs, 2, labels, 3);
    }

    /// <summary>y = 2 x0 - x1 + 0.5 x2^2 + small noise, x uniform in [-1, 1]^3.</summary>
    public static ArrayDataset Regression(int rows, int seed, double noise = 0.05)
    {
        var random = new Random(seed);
        var inputs = new float[rows * 3];
        var targets = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            double x0 = 2 * random.NextDouble() - 1, x1 = 2 * random.NextDouble() - 1, x2 = 2 * random.NextDouble() - 1;
            inputs[3 * r] = (float)x0;
            inputs[3 * r + 1] = (float)x1;
            inputs[3 * r + 2] = (float)x2;
            targets[r] = (float)(2 * x0 - x1 + 0.5 * x2 * x2 + noise * Gaussian(random));
        }
        return ArrayDataset.WithTargets(inputs, 3, targets, 1);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
