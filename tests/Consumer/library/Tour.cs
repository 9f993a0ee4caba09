using System.Globalization;
using NetGen;

namespace Sample.Networks;

/// <summary>The runtime's public API, used as a program would.</summary>
public static class Tour
{
    /// <summary>Trains and evaluates on a few two-pixel images, saves and loads the model, and steps the other networks.</summary>
    /// <param name="path">Where the model file is written.</param>
    /// <returns>One line of results.</returns>
    public static string Run(string path)
    {
        var random = new RandomSource(3);
        var pixels = new byte[100 * 2];
        var labels = new byte[100];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = (byte)random.NextInt(2);
            pixels[2 * i] = (byte)((labels[i] * 200) + random.NextInt(50));
            pixels[(2 * i) + 1] = (byte)random.NextInt(256);
        }
        var data = new ImageDataset(pixels, labels, rows: 1, columns: 2, classCount: 2);
        using var tiny = new TinyNet(seed: 5, maxBatchSize: 16, threads: 2);
        IReadOnlyList<EpochResult> epochs = TrainingLoop.Train(tiny, data, new TrainingOptions { Epochs = 2, BatchSize = 16 });
        EvaluationResult result = Evaluator.Evaluate(tiny, data);
        ModelFile.Save(path, tiny);
        using var copy = new TinyNet();
        Checkpoint checkpoint = ModelFile.Load(path, copy);
        float[] probabilities = copy.Probabilities([0.5f, 0.5f]);
        int values = 0;
        foreach (NamedTensor tensor in tiny.Parameters) values += tensor.Values.Length;
        float weight = tiny.Fc1Weight[0, 0] + tiny.Fc1Bias[0];
        using var wide = new WideNet();
        float bce = wide.TrainStep(new float[2 * WideNet.InputSize], [1f, 0f]);
        using var regression = new RegressionNet();
        float mse = regression.TrainStep(new float[2 * RegressionNet.InputSize], [1f, 0f, 0f, 1f]);
        using var plain = new PlainNet();
        var logits = new float[PlainNet.OutputSize];
        plain.Forward(new float[PlainNet.InputSize], logits);
        return string.Create(CultureInfo.InvariantCulture,
            $"{epochs.Count} {result} {checkpoint.Step} {probabilities[0]} {values} {weight} {bce} {mse} {plain.Classify(logits)}");
    }
}
