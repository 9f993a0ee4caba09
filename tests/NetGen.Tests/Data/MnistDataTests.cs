using System;
using System.Diagnostics;
using System.IO;
using NetGen;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Tests.Data;

public sealed class MnistDataTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly ITestOutputHelper _output;

    public MnistDataTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => _temp.Dispose();

    private void WriteSmallMnist(int trainCount = 6, int testCount = 4)
    {
        // A mix of gzipped and plain files, as MnistData accepts either.
        File.WriteAllBytes(_temp.File("train-images-idx3-ubyte.gz"), IdxTestFiles.Gzip(IdxTestFiles.Images(trainCount, 28, 28, seed: 1)));
        File.WriteAllBytes(_temp.File("train-labels-idx1-ubyte"), IdxTestFiles.Labels(Labels(trainCount)));
        File.WriteAllBytes(_temp.File("t10k-images-idx3-ubyte"), IdxTestFiles.Images(testCount, 28, 28, seed: 2));
        File.WriteAllBytes(_temp.File("t10k-labels-idx1-ubyte.gz"), IdxTestFiles.Gzip(IdxTestFiles.Labels(Labels(testCount))));
    }

    private static byte[] Labels(int count)
    {
        var labels = new byte[count];
        for (int i = 0; i < count; i++) labels[i] = (byte)(i % 10);
        return labels;
    }

    [Fact]
    public void LoadsPlainAndGzippedFiles()
    {
        WriteSmallMnist();

        var (train, test) = MnistData.Load(_temp.Path);

        Assert.Equal(6, train.Count);
        Assert.Equal(4, test.Count);
        Assert.Equal(28, train.Rows);
        Assert.Equal(28, test.Columns);
        Assert.Equal(IdxTestFiles.Pattern(6 * 784, seed: 1), train.Pixels.ToArray());
        Assert.Equal(Labels(4), test.Labels.ToArray());
        Assert.Equal(6, MnistData.LoadTrain(_temp.Path).Count);
        Assert.Equal(4, MnistData.LoadTest(_temp.Path).Count);
    }

    [Fact]
    public void MissingFolder()
    {
        string dir = _temp.File("nowhere");

        var ex = Assert.Throws<DataFormatException>(() => MnistData.Load(dir));

        Assert.Equal(dir + ": folder not found", ex.Message);
        Assert.Equal(dir, ex.FilePath);
    }

    [Fact]
    public void MissingFile()
    {
        WriteSmallMnist();
        File.Delete(_temp.File("t10k-labels-idx1-ubyte.gz"));

        var ex = Assert.Throws<DataFormatException>(() => MnistData.Load(_temp.Path));

        Assert.Equal(Path.Combine(_temp.Path, "t10k-labels-idx1-ubyte") + "(.gz): file not found", ex.Message);
    }

    [Fact]
    public void CountMismatchBetweenFiles()
    {
        WriteSmallMnist();
        File.WriteAllBytes(_temp.File("train-labels-idx1-ubyte"), IdxTestFiles.Labels(Labels(5)));

        var ex = Assert.Throws<DataFormatException>(() => MnistData.LoadTrain(_temp.Path));

        Assert.Contains("train-labels-idx1-ubyte: count mismatch: 5 labels but ", ex.Message);
        Assert.Contains("train-images-idx3-ubyte.gz has 6 images", ex.Message);
    }

    [Fact]
    public void FindDirectoryReturnsNullWhenAbsent()
    {
        Assert.Null(MnistData.FindDirectory("no/such/folder-" + Guid.NewGuid().ToString("N")));
    }

    [Fact]
    public void LoadsRealMnist()
    {
        string? dir = MnistData.FindDirectory();
        Assert.True(dir is not null, "data/mnist not found above " + Directory.GetCurrentDirectory());

        var watch = Stopwatch.StartNew();
        var (train, test) = MnistData.Load(dir!);
        _output.WriteLine($"Loaded MNIST from {dir} in {watch.ElapsedMilliseconds} ms");

        Assert.Equal(60000, train.Count);
        Assert.Equal(10000, test.Count);
        foreach (ImageDataset set in new[] { train, test })
        {
            Assert.Equal(28, set.Rows);
            Assert.Equal(28, set.Columns);
            Assert.Equal(784, set.PixelsPerImage);
            Assert.Equal(10, set.ClassCount);
        }
        Assert.Equal(new[] { 5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949 }, Histogram(train));
        Assert.Equal(new[] { 980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009 }, Histogram(test));
    }

    private static int[] Histogram(ImageDataset set)
    {
        var counts = new int[set.ClassCount];
        foreach (byte label in set.Labels) counts[label]++;
        return counts;
    }
}
