using System;
using System.IO;
using NetGen.Tests.Data;
using NetGen.Tests.EndToEnd;
using NetGen.Tests.Networks;
using Xunit;
using static NetGen.Tests.ModelFiles.ModelFileTestKit;

namespace NetGen.Tests.ModelFiles;

/// <summary>A NetGen file is matched to the network by its spec hash; a mismatch names the parts of the architecture that differ.</summary>
public class ModelFileArchitectureTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private ModelFormatException LoadInto(INetwork saved, INetwork target)
    {
        string path = _folder.File(saved.NetworkName + ".safetensors");
        ModelFile.Save(path, saved);
        var snapshot = new NetworkSnapshot(target);
        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path, target));
        snapshot.AssertUnchanged("refused file");
        Assert.StartsWith(path + ": ", ex.Message);
        return ex;
    }

    [Fact]
    public void Same_shapes_other_activations_are_refused_by_the_spec_hash()
    {
        // "tiny" and "saturating" are both 5-7-4-3, so only the metadata tells them apart.
        using ITestNetwork tiny = NetworkTestKit.Create("tiny");
        using ITestNetwork saturating = NetworkTestKit.Create("saturating");
        var ex = LoadInto(tiny, saturating);
        AssertMessage(ex, _folder.File("tiny.safetensors"),
            "made for a different architecture than network \"saturating\" (saved from network \"tiny\"): fc1 7 relu vs fc1 7 tanh, fc2 4 relu vs fc2 4 sigmoid",
            $"(spec hash \"{tiny.SpecHash}\" in the file, {saturating.SpecHash} for the network)");
    }

    [Fact]
    public void Other_sizes_are_named_part_by_part()
    {
        using ITestNetwork tiny = NetworkTestKit.Create("tiny");
        using ITestNetwork leaky = NetworkTestKit.Create("leaky");
        var ex = LoadInto(tiny, leaky);
        Assert.Contains(": fc1 7 relu vs fc1 19 leaky_relu 0.1, fc2 4 relu vs fc2 11 leaky_relu 0.01 (spec hash", ex.Message);
    }

    [Fact]
    public void Another_optimizer_is_named()
    {
        using ITestNetwork tiny = NetworkTestKit.Create("tiny");
        using ITestNetwork sgd = NetworkTestKit.Create("sgd");
        Assert.Contains(": optimizer adam vs optimizer sgd (spec hash", LoadInto(tiny, sgd).Message);
    }

    [Fact]
    public void Another_layer_count_shows_both_remainders()
    {
        using ITestNetwork tiny = NetworkTestKit.Create("tiny");
        using ITestNetwork relulast = NetworkTestKit.Create("relulast");
        Assert.Contains(": input 5; fc1 7 relu; fc2 4 relu; fc3 3 identity vs input 4; fc1 6 relu; fc2 3 relu (spec hash", LoadInto(tiny, relulast).Message);
    }

    [Fact]
    public void A_wider_mnist_file_is_refused_naming_fc1_256_vs_128()
    {
        // The file of a 784-256-64-10 network: a mnist file with the architecture (and hash) such a network would have.
        using var network = new MnistNet();
        var (header, data) = Split(SavedBytes(network));
        header = header.Replace("fc1 128 relu", "fc1 256 relu").Replace(MnistNet.SpecHash, "0123456789abcdef");
        string path = _folder.File("wider.safetensors");
        File.WriteAllBytes(path, Join(header, data));

        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path, new MnistNet()));

        AssertMessage(ex, path,
            "made for a different architecture than network \"mnist\" (saved from network \"mnist\"): fc1 256 relu vs fc1 128 relu " +
            $"(spec hash \"0123456789abcdef\" in the file, {MnistNet.SpecHash} for the network)");
    }

    [Fact]
    public void A_spec_hash_alone_is_enough_to_refuse()
    {
        using ITestNetwork tiny = NetworkTestKit.Create("tiny");
        var (header, data) = Split(SavedBytes(tiny));
        header = header.Replace($"\"architecture\":\"{tiny.Architecture}\",", "");
        string path = _folder.File("hash-only.safetensors");
        File.WriteAllBytes(path, Join(header, data));

        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path, NetworkTestKit.Create("saturating")));

        AssertMessage(ex, path, "made for a different architecture than network \"saturating\" (saved from network \"tiny\") (spec hash");
    }

    [Fact]
    public void Another_network_with_the_same_architecture_loads()
    {
        // xavier and kaimingu differ only in their initialization, which is not part of the architecture.
        using ITestNetwork xavier = NetworkTestKit.Create("xavier");
        using ITestNetwork kaiming = NetworkTestKit.Create("kaimingu");
        Assert.Equal(xavier.SpecHash, kaiming.SpecHash);
        string path = _folder.File("xavier.safetensors");
        ModelFile.Save(path, xavier);

        Checkpoint checkpoint = ModelFile.Load(path, kaiming);

        Assert.Equal("xavier", checkpoint.NetworkName);
        AssertSameState(xavier, kaiming, "loaded");
    }

    [Theory]
    [InlineData("input 5; fc1 7 relu; loss mse", "input 5; fc1 7 relu; loss mse", null)]
    [InlineData("input 5; fc1 256 relu; fc2 10 identity", "input 5; fc1 128 relu; fc2 10 identity", "fc1 256 relu vs fc1 128 relu")]
    [InlineData("input 5; fc1 7 relu; fc2 3 identity", "input 5; fc1 7 relu; dropout 0.5; fc2 3 identity", "(nothing) vs dropout 0.5")]
    [InlineData("input 5; fc1 7 relu; dropout 0.5; fc2 3 identity", "input 5; fc1 7 relu; fc2 3 identity", "dropout 0.5 vs (nothing)")]
    [InlineData("input 4; fc1 7 relu; loss mse", "input 5; fc1 7 relu; loss cross_entropy", "input 4 vs input 5, loss mse vs loss cross_entropy")]
    [InlineData("anything", "something else", "anything vs something else")]
    public void Architecture_diff_names_the_differing_parts(string inFile, string inNetwork, string? expected)
    {
        Assert.Equal(expected, ArchitectureDiff.Describe(inFile, inNetwork));
    }
}
