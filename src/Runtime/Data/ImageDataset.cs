using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace NetGen;

/// <summary>
/// Labelled grayscale images of one size, kept as bytes (60000 MNIST images take 47 MB this way, 188 MB as floats);
/// <see cref="CopyScaled"/> and <see cref="CopyBatchScaled"/> turn them into floats in [0, 1] when they are needed.
/// </summary>
public sealed class ImageDataset : IDataset
{
    /// <summary>The classes of an IDX dataset: the digits 0 to 9.</summary>
    private const int IdxClassCount = 10;

    private static readonly Vector<float> Divisor = new(255f);

    private readonly byte[] _pixels;
    private readonly byte[] _labels;

    /// <summary>A dataset over the given arrays, which are kept, not copied; they must not be changed afterwards.</summary>
    /// <param name="pixels">The images one after the other, each <paramref name="rows"/> x <paramref name="columns"/> bytes, row-major.</param>
    /// <param name="labels">The label of each image, 0 to <paramref name="classCount"/> - 1.</param>
    /// <param name="rows">The height of each image.</param>
    /// <param name="columns">The width of each image.</param>
    /// <param name="classCount">The number of classes, 1 to 256.</param>
    /// <exception cref="ArgumentException">The sizes do not match or a label is out of range.</exception>
    public ImageDataset(byte[] pixels, byte[] labels, int rows, int columns, int classCount = 10)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(classCount, 256);
        long perImage = (long)rows * columns;
        if (perImage > int.MaxValue)
            throw new ArgumentException($"Images of {rows}x{columns} are too large.", nameof(columns));
        if (pixels.LongLength != labels.LongLength * perImage)
        {
            throw new ArgumentException(
                $"{labels.Length} images of {rows}x{columns} need {labels.LongLength * perImage} pixels but {pixels.Length} were given.", nameof(pixels));
        }
        int bad = classCount == 256 ? -1 : labels.AsSpan().IndexOfAnyInRange((byte)classCount, (byte)255);
        if (bad >= 0)
            throw new ArgumentException($"The label of image {bad} is {labels[bad]}; labels must be 0 to {classCount - 1}.", nameof(labels));

        _pixels = pixels;
        _labels = labels;
        Rows = rows;
        Columns = columns;
        PixelsPerImage = (int)perImage;
        ClassCount = classCount;
    }

    /// <summary>The number of images.</summary>
    public int Count => _labels.Length;

    /// <summary>The height of each image.</summary>
    public int Rows { get; }

    /// <summary>The width of each image.</summary>
    public int Columns { get; }

    /// <summary>The number of pixels of each image, <see cref="Rows"/> x <see cref="Columns"/>.</summary>
    public int PixelsPerImage { get; }

    /// <summary>The number of classes; every label is below it.</summary>
    public int ClassCount { get; }

    /// <summary>All the images one after the other, row-major, one byte per pixel.</summary>
    public ReadOnlySpan<byte> Pixels => _pixels;

    /// <summary>The label of each image.</summary>
    public ReadOnlySpan<byte> Labels => _labels;

    /// <summary>The label of image <paramref name="index"/>.</summary>
    /// <param name="index">0 to <see cref="Count"/> - 1.</param>
    public int Label(int index)
    {
        CheckIndex(index);
        return _labels[index];
    }

    /// <summary>The pixels of image <paramref name="index"/>, row-major.</summary>
    /// <param name="index">0 to <see cref="Count"/> - 1.</param>
    public ReadOnlySpan<byte> Image(int index)
    {
        CheckIndex(index);
        return _pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);
    }

    /// <summary>
    /// Writes image <paramref name="index"/> to the first <see cref="PixelsPerImage"/> floats of <paramref name="destination"/>,
    /// each pixel as <c>pixel / 255f</c>, exactly as torchvision's <c>ToTensor</c>.
    /// </summary>
    /// <param name="index">0 to <see cref="Count"/> - 1.</param>
    /// <param name="destination">At least <see cref="PixelsPerImage"/> floats.</param>
    public void CopyScaled(int index, Span<float> destination)
    {
        if (destination.Length < PixelsPerImage)
            throw new ArgumentException($"The destination has {destination.Length} floats; an image needs {PixelsPerImage}.", nameof(destination));
        Scale(Image(index), destination);
    }

    /// <summary>
    /// Gathers the images and labels at <paramref name="indices"/>: image <c>indices[i]</c> goes, scaled as by
    /// <see cref="CopyScaled"/>, to row <c>i</c> of <paramref name="inputs"/> (row-major, <see cref="PixelsPerImage"/> floats a row),
    /// and its label to <c>labels[i]</c>. Only the first <c>indices.Length</c> rows and labels are written.
    /// </summary>
    /// <param name="indices">The images of the batch, each 0 to <see cref="Count"/> - 1.</param>
    /// <param name="inputs">At least <c>indices.Length * PixelsPerImage</c> floats.</param>
    /// <param name="labels">At least <c>indices.Length</c> ints.</param>
    public void CopyBatchScaled(ReadOnlySpan<int> indices, Span<float> inputs, Span<int> labels)
    {
        int size = PixelsPerImage;
        if ((long)inputs.Length < (long)indices.Length * size)
            throw new ArgumentException($"The inputs have {inputs.Length} floats; {indices.Length} images need {(long)indices.Length * size}.", nameof(inputs));
        if (labels.Length < indices.Length)
            throw new ArgumentException($"The labels have {labels.Length} ints; {indices.Length} images need as many.", nameof(labels));
        for (int i = 0; i < indices.Length; i++)
        {
            int index = indices[i];
            CheckIndex(index);
            Scale(_pixels.AsSpan(index * size, size), inputs.Slice(i * size, size));
            labels[i] = _labels[index];
        }
    }

    /// <inheritdoc/>
    int IDataset.InputSize => PixelsPerImage;

    /// <inheritdoc/>
    int IDataset.TargetSize => 0;

    /// <inheritdoc/>
    void IDataset.CopyBatch(ReadOnlySpan<int> indices, Span<float> inputs, Span<int> labels) => CopyBatchScaled(indices, inputs, labels);

    /// <inheritdoc/>
    void IDataset.CopyBatch(ReadOnlySpan<int> indices, Span<float> inputs, Span<float> targets) =>
        throw new InvalidOperationException("The images are labelled with classes; they have no float targets.");

    /// <summary>The first <paramref name="count"/> images as a new dataset (with its own copy of them), e.g. a small subset for a test.</summary>
    /// <param name="count">0 to <see cref="Count"/>.</param>
    public ImageDataset Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count);
        return new ImageDataset(
            _pixels.AsSpan(0, count * PixelsPerImage).ToArray(), _labels.AsSpan(0, count).ToArray(), Rows, Columns, ClassCount);
    }

    /// <summary>
    /// The dataset of an IDX images file (3 dimensions: count, rows, columns) and an IDX labels file (1 dimension: count)
    /// with labels 0 to 9. The data arrays of the files are kept, not copied.
    /// </summary>
    /// <param name="images">The images file.</param>
    /// <param name="labels">The labels file.</param>
    /// <param name="imagesName">The name of the images file in error messages.</param>
    /// <param name="labelsName">The name of the labels file in error messages.</param>
    /// <exception cref="DataFormatException">The files do not have the expected shapes, do not match, or a label is out of range.</exception>
    public static ImageDataset FromIdx(IdxFile images, IdxFile labels, string imagesName, string labelsName)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(imagesName);
        ArgumentNullException.ThrowIfNull(labelsName);
        CheckShapes(images.Dimensions, labels.Dimensions, imagesName, labelsName);
        CheckLabels(labels.Data, labelsName);
        return new ImageDataset(images.Data, labels.Data, images.Dimensions[1], images.Dimensions[2], IdxClassCount);
    }

    /// <summary>
    /// Checks the headers of an IDX images file (count, rows, columns) and labels file (count) against each other; known
    /// before either file's data is read, so a header that claims far more images than the other file has labels stops here.
    /// </summary>
    /// <exception cref="DataFormatException">The files do not have the expected shapes or their counts differ.</exception>
    internal static void CheckShapes(int[] images, int[] labels, string imagesName, string labelsName)
    {
        if (images.Length != 3)
        {
            throw new DataFormatException(imagesName,
                $"expected 3 dimensions (images, rows, columns) but the header has {images.Length} ({string.Join("x", images)})");
        }
        if (labels.Length != 1)
        {
            throw new DataFormatException(labelsName,
                $"expected 1 dimension (labels) but the header has {labels.Length} ({string.Join("x", labels)})");
        }
        if (images[0] != labels[0])
            throw new DataFormatException(labelsName, $"count mismatch: {labels[0]} labels but {imagesName} has {images[0]} images");
    }

    /// <summary>Checks that every label of an IDX labels file is a class, 0 to 9.</summary>
    /// <exception cref="DataFormatException">A label is out of range.</exception>
    internal static void CheckLabels(byte[] labels, string labelsName)
    {
        int bad = labels.AsSpan().IndexOfAnyInRange((byte)IdxClassCount, (byte)255);
        if (bad >= 0)
            throw new DataFormatException(labelsName, $"label out of range: label {bad} is {labels[bad]}; labels must be 0 to {IdxClassCount - 1}");
    }

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)_labels.Length)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The dataset has {_labels.Length} images.");
    }

    /// <summary>destination[i] = source[i] / 255f; vector division is IEEE-exact, so it equals the scalar division.</summary>
    private static void Scale(ReadOnlySpan<byte> source, Span<float> destination)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && source.Length >= Vector<byte>.Count)
        {
            int floatsPerVector = Vector<float>.Count;
            ReadOnlySpan<Vector<byte>> blocks = MemoryMarshal.Cast<byte, Vector<byte>>(source);
            foreach (Vector<byte> block in blocks)
            {
                Vector.Widen(block, out Vector<ushort> low, out Vector<ushort> high);
                Vector.Widen(low, out Vector<uint> a, out Vector<uint> b);
                Vector.Widen(high, out Vector<uint> c, out Vector<uint> d);
                Span<float> target = destination.Slice(i, Vector<byte>.Count);
                (Vector.ConvertToSingle(Vector.AsVectorInt32(a)) / Divisor).CopyTo(target);
                (Vector.ConvertToSingle(Vector.AsVectorInt32(b)) / Divisor).CopyTo(target[floatsPerVector..]);
                (Vector.ConvertToSingle(Vector.AsVectorInt32(c)) / Divisor).CopyTo(target[(2 * floatsPerVector)..]);
                (Vector.ConvertToSingle(Vector.AsVectorInt32(d)) / Divisor).CopyTo(target[(3 * floatsPerVector)..]);
                i += Vector<byte>.Count;
            }
        }
        for (; i < source.Length; i++) destination[i] = source[i] / 255f;
    }
}
