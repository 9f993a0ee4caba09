using System;
using NetGen;
using Xunit;

namespace NetGen.Tests.Data;

public sealed class ImageDatasetTests
{
    private static ImageDataset Small(int count = 5, int rows = 3, int columns = 4)
    {
        byte[] pixels = IdxTestFiles.Pattern(count * rows * columns, seed: 11);
        var labels = new byte[count];
        for (int i = 0; i < count; i++) labels[i] = (byte)((3 * i + 1) % 10);
        return new ImageDataset(pixels, labels, rows, columns);
    }

    [Fact]
    public void ExposesShapeImagesAndLabels()
    {
        ImageDataset data = Small();

        Assert.Equal(5, data.Count);
        Assert.Equal(3, data.Rows);
        Assert.Equal(4, data.Columns);
        Assert.Equal(12, data.PixelsPerImage);
        Assert.Equal(10, data.ClassCount);
        Assert.Equal(60, data.Pixels.Length);
        Assert.Equal(new byte[] { 1, 4, 7, 0, 3 }, data.Labels.ToArray());
        Assert.Equal(7, data.Label(2));
        Assert.Equal(data.Pixels.Slice(24, 12).ToArray(), data.Image(2).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Label(5));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Image(-1));
    }

    [Fact]
    public void ConstructorValidates()
    {
        Assert.Throws<ArgumentException>(() => new ImageDataset(new byte[11], new byte[1], 3, 4));
        Assert.Throws<ArgumentException>(() => new ImageDataset(new byte[12], new byte[] { 10 }, 3, 4));
        Assert.Throws<ArgumentException>(() => new ImageDataset(new byte[12], new byte[] { 2 }, 3, 4, classCount: 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageDataset(new byte[0], new byte[0], 0, 4));
        var all = new ImageDataset(new byte[1], new byte[] { 255 }, 1, 1, classCount: 256);
        Assert.Equal(255, all.Label(0));
    }

    [Fact]
    public void CopyScaledEqualsDivisionBy255ForEveryByte()
    {
        var values = new byte[256];
        for (int v = 0; v < 256; v++) values[v] = (byte)v;

        // 16x16: all 256 values through the vector path; 1x1 images: each value through the scalar path;
        // 17x17 (289 pixels): a vector part and a scalar tail.
        var square = new ImageDataset(values, new byte[1], 16, 16);
        var single = new ImageDataset(values, new byte[256], 1, 1);
        var odd = new byte[289];
        for (int i = 0; i < odd.Length; i++) odd[i] = (byte)(255 - i % 256);
        var oddSet = new ImageDataset(odd, new byte[1], 17, 17);

        var scaled = new float[256];
        square.CopyScaled(0, scaled);
        var one = new float[1];
        var oddScaled = new float[289];
        oddSet.CopyScaled(0, oddScaled);
        for (int v = 0; v < 256; v++)
        {
            float expected = v / 255f;
            Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(scaled[v]));
            single.CopyScaled(v, one);
            Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(one[0]));
        }
        for (int i = 0; i < odd.Length; i++)
            Assert.Equal(BitConverter.SingleToInt32Bits(odd[i] / 255f), BitConverter.SingleToInt32Bits(oddScaled[i]));
        Assert.Equal(0f, scaled[0]);
        Assert.Equal(1f, scaled[255]);
    }

    [Fact]
    public void CopyScaledRejectsShortDestination()
    {
        ImageDataset data = Small();
        Assert.Throws<ArgumentException>(() => data.CopyScaled(0, new float[11]));
    }

    [Fact]
    public void CopyBatchScaledGathersRowsAndLabels()
    {
        ImageDataset data = Small();
        int[] indices = { 4, 0, 2, 4 };
        var inputs = new float[indices.Length * data.PixelsPerImage + 3];
        inputs.AsSpan().Fill(-1f);
        var labels = new int[indices.Length + 1];
        labels.AsSpan().Fill(-1);

        data.CopyBatchScaled(indices, inputs, labels);

        for (int row = 0; row < indices.Length; row++)
        {
            ReadOnlySpan<byte> image = data.Image(indices[row]);
            for (int p = 0; p < data.PixelsPerImage; p++)
                Assert.Equal(image[p] / 255f, inputs[row * data.PixelsPerImage + p]);
            Assert.Equal(data.Label(indices[row]), labels[row]);
        }
        Assert.Equal(new[] { 3, 1, 7, 3, -1 }, labels);
        Assert.Equal(new[] { -1f, -1f, -1f }, inputs[^3..]);
        Assert.Throws<ArgumentException>(() => data.CopyBatchScaled(indices, new float[47], new int[4]));
        Assert.Throws<ArgumentException>(() => data.CopyBatchScaled(indices, new float[48], new int[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.CopyBatchScaled(new[] { 5 }, new float[12], new int[1]));
    }

    [Fact]
    public void TakeReturnsFirstImages()
    {
        ImageDataset data = Small();

        ImageDataset first = data.Take(2);

        Assert.Equal(2, first.Count);
        Assert.Equal(data.Rows, first.Rows);
        Assert.Equal(data.Columns, first.Columns);
        Assert.Equal(data.ClassCount, first.ClassCount);
        Assert.Equal(data.Pixels[..24].ToArray(), first.Pixels.ToArray());
        Assert.Equal(new byte[] { 1, 4 }, first.Labels.ToArray());
        Assert.Equal(0, data.Take(0).Count);
        Assert.Equal(5, data.Take(5).Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Take(6));
    }

    [Fact]
    public void FromIdxBuildsDataset()
    {
        byte[] pixels = IdxTestFiles.Pattern(2 * 3 * 4);
        var images = new IdxFile(new[] { 2, 3, 4 }, pixels);
        var labels = new IdxFile(new[] { 2 }, new byte[] { 9, 0 });

        ImageDataset data = ImageDataset.FromIdx(images, labels, "img", "lbl");

        Assert.Equal(2, data.Count);
        Assert.Equal(3, data.Rows);
        Assert.Equal(4, data.Columns);
        Assert.Equal(pixels, data.Pixels.ToArray());
        Assert.Equal(9, data.Label(0));
    }

    [Fact]
    public void FromIdxCountMismatchNamesBothFiles()
    {
        var images = new IdxFile(new[] { 3, 2, 2 }, new byte[12]);
        var labels = new IdxFile(new[] { 2 }, new byte[2]);

        var ex = Assert.Throws<DataFormatException>(() => ImageDataset.FromIdx(images, labels, "dir/images.gz", "dir/labels.gz"));

        Assert.Equal("dir/labels.gz", ex.FilePath);
        Assert.StartsWith("dir/labels.gz: ", ex.Message);
        Assert.Contains("dir/images.gz", ex.Message);
        Assert.Contains("count mismatch", ex.Message);
        Assert.Contains("2 labels", ex.Message);
        Assert.Contains("3 images", ex.Message);
    }

    [Fact]
    public void FromIdxLabelOutOfRange()
    {
        var images = new IdxFile(new[] { 3, 2, 2 }, new byte[12]);
        var labels = new IdxFile(new[] { 3 }, new byte[] { 1, 2, 12 });

        var ex = Assert.Throws<DataFormatException>(() => ImageDataset.FromIdx(images, labels, "images.gz", "labels.gz"));

        Assert.Equal("labels.gz", ex.FilePath);
        Assert.StartsWith("labels.gz: ", ex.Message);
        Assert.Contains("label out of range", ex.Message);
        Assert.Contains("label 2 is 12", ex.Message);
    }

    [Fact]
    public void FromIdxChecksRanks()
    {
        var flat = new IdxFile(new[] { 12 }, new byte[12]);
        var images = new IdxFile(new[] { 3, 2, 2 }, new byte[12]);

        var ex = Assert.Throws<DataFormatException>(() => ImageDataset.FromIdx(flat, flat, "images.gz", "labels.gz"));
        Assert.StartsWith("images.gz: expected 3 dimensions", ex.Message);
        ex = Assert.Throws<DataFormatException>(() => ImageDataset.FromIdx(images, images, "images.gz", "labels.gz"));
        Assert.StartsWith("labels.gz: expected 1 dimension", ex.Message);
    }
}
