using System.Globalization;

namespace NetGen.Generator.Language;

/// <summary>A size in two directions, rows then columns (a kernel, a stride, a pooling window).</summary>
internal readonly record struct Size2(int Height, int Width)
{
    /// <summary>For descriptions: <c>3x3</c>, <c>5x3</c>.</summary>
    public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0}x{1}", Height, Width);
}
