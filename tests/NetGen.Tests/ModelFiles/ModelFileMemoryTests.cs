using System;
using System.IO;
using System.Text;
using NetGen.Tests.Data;
using NetGen.Tests.Networks;
using Xunit;
using Xunit.Abstractions;
using static NetGen.Tests.ModelFiles.ModelFileTestKit;

namespace NetGen.Tests.ModelFiles;

/// <summary>
/// What reading a model file allocates is bounded by the file's length: a header of more tensor entries than the network
/// has is refused at the first one too many, and without a network at the reader's fixed limits (65,536 tensors, 1,024
/// metadata entries). The files are headers of many empty entries, as in the 99 MB file that used to take 1.5 GB.
/// </summary>
public sealed class ModelFileMemoryTests(ITestOutputHelper output) : IDisposable
{
    private const int Entries = 400_000; // a 22 MB header

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A file whose header lists <paramref name="tensors"/> empty tensors and <paramref name="metadata"/> metadata entries.</summary>
    private string WriteHeaderOnly(int tensors, int metadata = 1)
    {
        var header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"");
        for (int i = 1; i < metadata; i++) header.Append(",\"m").Append(i).Append("\":\"\"");
        header.Append('}');
        for (int i = 0; i < tensors; i++) header.Append(",\"t").Append(i).Append("\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}");
        header.Append('}');
        string path = _temp.File("entries.safetensors");
        File.WriteAllBytes(path, Join(header.ToString(), []));
        return path;
    }

    [Fact]
    public void A_header_of_more_entries_than_the_network_has_tensors_is_refused_at_the_first_one_too_many()
    {
        string path = WriteHeaderOnly(Entries);
        long length = new FileInfo(path).Length;
        using INetwork network = NetworkTestKit.Create("tiny");

        ModelFormatException ex = Allocations.Measure(() => Assert.Throws<ModelFormatException>(() => ModelFile.Load(path, network)), out long allocated);

        Assert.Equal($"{path}: the header lists more tensors than the 24 of network \"tiny\" (its parameters, optimizer state and a best copy of the parameters)", ex.Message);
        // The header's bytes, and next to nothing for 19 entries.
        output.WriteLine($"allocated {allocated:N0} bytes");
        Assert.True(allocated < length + (1 << 20), $"allocated {allocated} bytes for a file of {length}");
    }

    [Fact]
    public void Without_a_network_a_header_may_list_at_most_65536_tensors()
    {
        string path = WriteHeaderOnly(Entries);
        long length = new FileInfo(path).Length;

        ModelFormatException ex = Allocations.Measure(() => Assert.Throws<ModelFormatException>(() => ModelFile.ReadMetadata(path)), out long allocated);

        Assert.Equal($"{path}: the header lists more than 65536 tensors, the most a model file may have", ex.Message);
        // The header's bytes, and the entries up to the limit (a few hundred bytes each); reading them all took ten times more.
        output.WriteLine($"allocated {allocated:N0} bytes");
        Assert.True(allocated < length + (32 << 20), $"allocated {allocated} bytes for a file of {length}");
        Assert.Equal(ex.Message, Assert.Throws<ModelFormatException>(() => ModelFile.OpenRead(path)).Message);
    }

    [Fact]
    public void A_header_with_more_than_1024_metadata_entries_is_refused()
    {
        string path = WriteHeaderOnly(tensors: 0, metadata: 1025);
        Assert.Equal(1025, new ParsedSafetensors(File.ReadAllBytes(path)).Metadata.Count);
        Assert.Equal($"{path}: the metadata has more than 1024 entries", Assert.Throws<ModelFormatException>(() => ModelFile.ReadMetadata(path)).Message);

        path = WriteHeaderOnly(tensors: 0, metadata: 1024);
        Assert.Equal(1024, ModelFile.ReadMetadata(path).Metadata.Count);
    }
}
