using System;
using System.IO;
using System.IO.Compression;
using NetGen;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Tests.Data;

/// <summary>
/// What reading IDX files allocates is bounded by the files' sizes: a header that claims more than its file can hold is
/// refused before anything is allocated for it, MnistData compares the images and labels headers before reading either
/// file's data, and the data is read once, into the array the dataset keeps. The files are small on disk (zeros, gzipped)
/// and claim much.
/// </summary>
public sealed class IdxMemoryTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>What a read allocates besides the data: the file's and gzip's buffers, the header, a message.</summary>
    private const long Overhead = 256 << 10;

    private const int Rows = 28, Columns = 28;

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A gzipped images file: the header for <paramref name="count"/> images, then <paramref name="zeros"/> zero bytes.</summary>
    private string WriteGzippedImages(string name, int count, long zeros)
    {
        string path = _temp.File(name);
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.SmallestSize);
        gzip.Write(IdxTestFiles.Bytes([count, Rows, Columns], []));
        var block = new byte[1 << 20];
        for (long left = zeros; left > 0; left -= block.Length) gzip.Write(block, 0, (int)Math.Min(block.Length, left));
        return path;
    }

    [Fact]
    public void A_plain_file_claiming_more_than_its_length_is_refused_before_anything_is_allocated_for_it()
    {
        string path = _temp.File("train-images-idx3-ubyte");
        File.WriteAllBytes(path, IdxTestFiles.Bytes([2_739_000, Rows, Columns], new byte[1000]));
        long length = new FileInfo(path).Length;

        DataFormatException ex = Allocations.Measure(() => Assert.Throws<DataFormatException>(() => IdxReader.Read(path)), out long allocated);

        Assert.Equal($"{path}: truncated: header says 2739000 images of 28x28 (2147376016 bytes) but the file ends after 1016 bytes", ex.Message);
        output.WriteLine($"allocated {allocated:N0} bytes");
        Assert.True(allocated < length + Overhead, $"allocated {allocated} bytes for a file of {length}");
    }

    [Fact]
    public void A_gzip_file_claiming_more_than_deflate_can_expand_it_to_is_refused_before_anything_is_allocated_for_it()
    {
        // 1 MB of zeros compress to about 1 KB, which can hold about 1 MB, not the 2.1 GB the header claims.
        string path = WriteGzippedImages("train-images-idx3-ubyte.gz", 2_739_000, zeros: 1 << 20);
        long length = new FileInfo(path).Length;

        DataFormatException ex = Allocations.Measure(() => Assert.Throws<DataFormatException>(() => IdxReader.Read(path)), out long allocated);

        Assert.Equal($"{path}: truncated: header says 2739000 images of 28x28 (2147376016 bytes) but {length} bytes of gzip data " +
            $"decompress to at most {length * 1032} bytes (deflate's limit is 1032:1)", ex.Message);
        output.WriteLine($"allocated {allocated:N0} bytes");
        Assert.True(allocated < length + Overhead, $"allocated {allocated} bytes for a file of {length}");
    }

    [Fact]
    public void The_label_count_is_compared_with_the_image_count_before_either_file_is_read()
    {
        // 78 MB of images in a 76 KB gzip file: a claim the file can hold, of more images than there are labels.
        const int Images = 100_000;
        WriteGzippedImages("train-images-idx3-ubyte.gz", Images, zeros: (long)Images * Rows * Columns);
        File.WriteAllBytes(_temp.File("train-labels-idx1-ubyte"), IdxTestFiles.Labels(new byte[10]));

        DataFormatException ex = Allocations.Measure(() => Assert.Throws<DataFormatException>(() => MnistData.LoadTrain(_temp.Path)), out long allocated);

        Assert.Equal($"{_temp.File("train-labels-idx1-ubyte")}: count mismatch: 10 labels but {_temp.File("train-images-idx3-ubyte.gz")} has 100000 images", ex.Message);
        output.WriteLine($"allocated {allocated:N0} bytes");
        Assert.True(allocated < Overhead, $"allocated {allocated} bytes");
    }

    [Fact]
    public void The_images_are_read_once_into_the_array_the_dataset_keeps()
    {
        const int Images = 100_000; // 78 MB: more than a piece of a stream of unknown length (64 MB), which is copied
        WriteGzippedImages("train-images-idx3-ubyte.gz", Images, zeros: (long)Images * Rows * Columns);
        File.WriteAllBytes(_temp.File("train-labels-idx1-ubyte"), IdxTestFiles.Labels(new byte[Images]));

        ImageDataset train = Allocations.Measure(() => MnistData.LoadTrain(_temp.Path), out long allocated);

        Assert.Equal(Images, train.Count);
        long data = (long)Images * Rows * Columns + Images;
        output.WriteLine($"allocated {allocated:N0} bytes");
        Assert.True(allocated < data + Overhead, $"allocated {allocated} bytes for {data} bytes of images and labels");
    }
}
