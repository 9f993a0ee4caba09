using System;
using System.IO;
using System.Linq;
using NetGen.Tests.Images;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests.Onnx;

/// <summary>OnnxExport then OnnxImport gives back every parameter and buffer bit for bit, for every feature and image network.</summary>
public sealed class OnnxImportRoundTripTests
{
    public static TheoryData<string> Networks()
    {
        var data = new TheoryData<string>();
        foreach (string name in NetworkTestKit.FeatureNetworks) data.Add(name);
        foreach (string name in ConvTests.Networks()) data.Add(name);
        data.Add("cnn_bn");
        return data;
    }

    internal static INetwork Create(string name, int seed) =>
        NetworkTestKit.FeatureNetworks.Contains(name) ? NetworkTestKit.Create(name, seed)
        : name == "cnn_bn" ? new CnnBnNet(seed) : ConvTests.Create(name, seed);

    /// <summary>Every value of every tensor set to something random (running variances positive), as after training.</summary>
    internal static void Scramble(INetwork network, int seed)
    {
        var random = new Random(seed);
        foreach (NamedTensor t in network.Parameters.Concat(network.Buffers))
        {
            bool positive = t.Name.EndsWith(".running_var", StringComparison.Ordinal);
            for (int i = 0; i < t.Values.Length; i++) t.Values[i] = positive ? 0.1f + (float)random.NextDouble() : (float)(2 * random.NextDouble() - 1);
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Export_then_import_gives_identical_tensors(string name)
    {
        using INetwork trained = Create(name, seed: 1);
        Scramble(trained, seed: 2);
        using INetwork fresh = Create(name, seed: 3);
        fresh.Step = 7;

        var stream = new MemoryStream();
        OnnxExport.Save(stream, trained);
        stream.Position = 0;
        Checkpoint checkpoint = OnnxImport.Load(stream, fresh);

        Assert.Equal(trained.NetworkName, checkpoint.NetworkName);
        Assert.Equal(trained.SpecHash, checkpoint.SpecHash);
        Assert.Equal(trained.Architecture, checkpoint.Architecture);
        Assert.False(checkpoint.HasOptimizerState);
        Assert.Null(checkpoint.Data);
        Assert.Equal(0, fresh.Step);
        var expected = trained.Parameters.Concat(trained.Buffers).ToArray();
        var actual = fresh.Parameters.Concat(fresh.Buffers).ToArray();
        Assert.Equal(expected.Select(t => t.Name), actual.Select(t => t.Name));
        for (int i = 0; i < expected.Length; i++) Assert.True(expected[i].Values.AsSpan().SequenceEqual(actual[i].Values), expected[i].Name);
        Assert.All(fresh.OptimizerState, t => Assert.All(t.Values, v => Assert.Equal(0f, v)));
    }

    [Fact]
    public void The_standardization_and_the_names_come_back_as_the_checkpoints_data_schema()
    {
        using INetwork trained = Create("leaky", seed: 1);
        Scramble(trained, seed: 2);
        var random = new Random(4);
        float[] mean = Enumerable.Range(0, trained.InputSize).Select(_ => (float)random.NextDouble()).ToArray();
        float[] scale = Enumerable.Range(0, trained.InputSize).Select(_ => 0.5f + (float)random.NextDouble()).ToArray();
        string[] features = Enumerable.Range(0, trained.InputSize).Select(i => $"column {i}, \"quoted\"").ToArray();
        var schema = new DataSchema { Standardization = new Standardization(mean, scale), FeatureNames = features, ClassNames = ["no", "yes", "maybe"] };
        string directory = Directory.CreateTempSubdirectory("netgen-onnx-").FullName;
        try
        {
            string path = Path.Combine(directory, "model.onnx");
            OnnxExport.Save(path, trained, schema);
            using INetwork fresh = Create("leaky", seed: 3);
            Checkpoint checkpoint = OnnxImport.Load(path, fresh);
            Assert.NotNull(checkpoint.Data?.Standardization);
            Assert.Equal(mean, checkpoint.Data!.Standardization!.Mean);
            Assert.Equal(scale, checkpoint.Data.Standardization.Scale);
            Assert.Equal(features, checkpoint.Data.FeatureNames);
            Assert.Equal(["no", "yes", "maybe"], checkpoint.Data.ClassNames);
            Assert.Null(checkpoint.Data.TargetNames);
            Assert.Equal(features, OnnxImport.ReadMetadata(path).Data!.FeatureNames);
            Assert.True(trained.Parameters[0].Values.AsSpan().SequenceEqual(fresh.Parameters[0].Values));
            Assert.Equal("leaky", OnnxImport.ReadMetadata(path).NetworkName);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
