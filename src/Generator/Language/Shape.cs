using System.Globalization;

namespace NetGen.Generator.Language;

/// <summary>
/// The shape of one row of values, batch aside: a flat vector of <see cref="Channels"/> values, or an image of
/// <see cref="Channels"/> x <see cref="Height"/> x <see cref="Width"/> (PyTorch's CHW order).
/// </summary>
internal readonly record struct Shape(int Channels, int Height, int Width, bool Spatial)
{
    public static Shape Flat(int size) => new(size, 1, 1, Spatial: false);

    public static Shape Image(int channels, int height, int width) => new(channels, height, width, Spatial: true);

    /// <summary>The values in a row.</summary>
    public long Size => (long)Channels * Height * Width;

    /// <summary>For messages and descriptions: <c>784</c>, <c>[1, 28, 28]</c>.</summary>
    public override string ToString() => Spatial
        ? string.Format(CultureInfo.InvariantCulture, "[{0}, {1}, {2}]", Channels, Height, Width)
        : Size.ToString(CultureInfo.InvariantCulture);

    /// <summary>For the architecture a model file carries: <c>784</c>, <c>1x28x28</c>.</summary>
    public string Compact => Spatial
        ? string.Format(CultureInfo.InvariantCulture, "{0}x{1}x{2}", Channels, Height, Width)
        : Size.ToString(CultureInfo.InvariantCulture);
}
