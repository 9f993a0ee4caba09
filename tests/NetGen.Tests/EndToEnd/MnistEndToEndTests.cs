using NetGen;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Tests.EndToEnd;

/// <summary>The repository's "mnist" network, generated from the root nets.json exactly as src/Mnist uses it.</summary>
[Network("mnist")]
public partial class MnistNet;

public class MnistEndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public void One_epoch_on_the_full_training_set_reaches_95_percent()
    {
        string? directory = MnistData.FindDirectory();
        Assert.True(directory is not null, "data/mnist not found above the test's folder");
        var (train, test) = MnistData.Load(directory!);

        var network = new MnistNet();
        var epochs = TrainingLoop.Train(network, train, new TrainingOptions { Epochs = 1 });
        EvaluationResult result = Evaluator.Evaluate(network, test);
        output.WriteLine($"loss {epochs[0].Loss:F4}, {result}");

        Assert.Equal(1875, epochs[0].Steps);
        Assert.Equal(1875, network.Step);
        Assert.True(epochs[0].Loss < 0.5, $"mean loss {epochs[0].Loss}");
        Assert.Equal(10_000, result.Total);
        Assert.True(result.Accuracy >= 95.0, result.ToString());
    }

    [Fact]
    public void Evaluation_with_two_threads_counts_the_same_as_one()
    {
        string directory = MnistData.FindDirectory()!;
        ImageDataset test = MnistData.LoadTest(directory).Take(3000);
        var network = new MnistNet(seed: 5);
        EvaluationResult one = Evaluator.Evaluate(network, test, threads: 1);
        EvaluationResult two = Evaluator.Evaluate(network, test, threads: 2);
        Assert.Equal(one.Correct, two.Correct);
        Assert.Equal(one.ConfusionMatrix, two.ConfusionMatrix);
        int sum = 0;
        foreach (int n in one.ConfusionMatrix) sum += n;
        Assert.Equal(3000, sum);
    }

    [Fact]
    public void Training_is_reproducible_for_a_seed()
    {
        string directory = MnistData.FindDirectory()!;
        ImageDataset train = MnistData.LoadTrain(directory).Take(640);
        float[] Run(int seed)
        {
            var network = new MnistNet(seed);
            TrainingLoop.Train(network, train, new TrainingOptions { Epochs = 1 });
            return network.Parameters[0].Values;
        }
        Assert.Equal(Run(3), Run(3));
        Assert.NotEqual(Run(3), Run(4));
    }
}
