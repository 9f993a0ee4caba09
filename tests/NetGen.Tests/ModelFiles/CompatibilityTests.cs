using System;
using System.IO;
using System.Security.Cryptography;
using NetGen.Tests.EndToEnd;
using NetGen.Tests.Data;
using Xunit;

namespace NetGen.Tests.ModelFiles;

/// <summary>
/// Model files of released versions keep loading. Fixtures/mnist-0.1.0.safetensors was saved by NetGen 0.1.0
/// (<c>netgen-mnist train --epochs 1 --save ...</c> at commit 2907107, which evaluates it to 95.81%, with AVX2 on and off):
/// every later version must read its metadata as saved and evaluate it on the full MNIST test set to exactly the same count.
/// </summary>
public class CompatibilityTests
{
    private const string Fixture = "mnist-0.1.0.safetensors";

    /// <summary>The fixture as 0.1.0 wrote it: a changed file would no longer prove anything about 0.1.0.</summary>
    private const string FixtureSha256 = "1ce75647cd6a0991eca4496ba6092b8e14eed87f20958b9571923ce33b2dd07b";

    /// <summary>The fixture, copied beside the test assembly by the project file.</summary>
    private static string FixturePath
    {
        get
        {
            string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", Fixture);
            Assert.True(File.Exists(path), $"{path} is missing: the test project copies Fixtures/ to its output");
            return path;
        }
    }

    [Fact]
    public void The_fixture_is_the_file_0_1_0_saved()
    {
        Assert.Equal(FixtureSha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(FixturePath))));
    }

    [Fact]
    public void A_0_1_0_file_reads_its_metadata_as_saved()
    {
        Checkpoint metadata = ModelFile.ReadMetadata(FixturePath);

        Assert.Equal("mnist", metadata.NetworkName);
        Assert.Equal("e9bf0d7aa95da2f2", metadata.SpecHash);
        Assert.Equal("input 784; fc1 128 relu; fc2 64 relu; fc3 10 identity; loss cross_entropy; optimizer adam", metadata.Architecture);
        Assert.Equal(2, metadata.Position!.Epoch); // the end of epoch 1: epoch 2 is next, none of its steps taken
        Assert.Equal(0, metadata.Position.StepInEpoch);
        Assert.Null(metadata.Position.BatchSize); // 0.1.0 did not save it
        Assert.Equal(1875, metadata.Step);
        Assert.Equal(1, metadata.Seed);
        Assert.Equal(0.001f, metadata.LearningRate);
        Assert.Equal(1, metadata.Threads);
        Assert.True(metadata.HasOptimizerState);
        Assert.Null(metadata.DropoutState);
    }

    [Fact]
    public void A_0_1_0_file_loads_into_the_mnist_network_and_evaluates_to_9581_of_10000()
    {
        ImageDataset test = MnistTestSet.Load();
        using var network = new MnistNet(seed: 123);

        Checkpoint checkpoint = ModelFile.Load(FixturePath, network);
        EvaluationResult result = Evaluator.Evaluate(network, test);

        Assert.Equal(MnistNet.SpecHash, checkpoint.SpecHash);
        Assert.Equal(1875, network.Step);
        Assert.Equal((9581, 10_000), (result.Correct, result.Total));
    }
}
