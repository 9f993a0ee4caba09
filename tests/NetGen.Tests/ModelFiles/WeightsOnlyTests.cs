using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace NetGen.Tests.ModelFiles;

/// <summary>ModelFile.SaveWeights: exactly a PyTorch module's state_dict, which NetGen loads back as it loads PyTorch's files.</summary>
public sealed class WeightsOnlyTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("netgen-weights-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>The header's tensor names in file order, and its metadata keys (read with plain JSON, not the code under test).</summary>
    private static (string[] Tensors, string[] Metadata, JsonElement Header) Header(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        long length = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        JsonElement root = JsonDocument.Parse(bytes.AsMemory(8, (int)length)).RootElement.Clone();
        string[] tensors = root.EnumerateObject().Where(p => p.Name != "__metadata__").Select(p => p.Name).ToArray();
        string[] metadata = root.GetProperty("__metadata__").EnumerateObject().Select(p => p.Name).ToArray();
        return (tensors, metadata, root);
    }

    [Fact]
    public void A_batch_norm_network_writes_its_state_dict_keys_and_nothing_else()
    {
        using FakeBatchNormNetwork network = FakeBatchNormNetwork.CnnBn();
        string path = Path.Combine(_folder, "w.safetensors");
        ModelFile.SaveWeights(path, network);

        var (tensors, metadata, header) = Header(path);
        // nn.Module.state_dict() of Conv2d, BatchNorm2d (weight, bias, running_mean, running_var, num_batches_tracked), Linear.
        string[] expected = network.Parameters.Select(p => p.Name).Concat(network.Buffers.Select(b => b.Name)).Concat(network.BatchCounters).ToArray();
        Assert.Equal(expected.OrderBy(n => n, StringComparer.Ordinal), tensors.OrderBy(n => n, StringComparer.Ordinal));
        Assert.Contains("bn1.num_batches_tracked", tensors);
        Assert.DoesNotContain(tensors, t => t.Contains("exp_avg", StringComparison.Ordinal) || t.StartsWith("best.", StringComparison.Ordinal));
        Assert.Equal("I64", header.GetProperty("bn1.num_batches_tracked").GetProperty("dtype").GetString());
        Assert.DoesNotContain("optimizer_step", metadata);
        Assert.Contains("network", metadata);

        using FakeBatchNormNetwork loaded = FakeBatchNormNetwork.CnnBn(seed: 9);
        Checkpoint checkpoint = ModelFile.Load(path, loaded);
        Assert.False(checkpoint.HasOptimizerState);
        Assert.Equal(network.Parameters.SelectMany(p => p.Values), loaded.Parameters.SelectMany(p => p.Values));
        Assert.Equal(network.Buffers.SelectMany(p => p.Values), loaded.Buffers.SelectMany(p => p.Values));
    }
}
