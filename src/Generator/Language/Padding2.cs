using System.Globalization;

namespace NetGen.Generator.Language;

/// <summary>Zeros around an image: rows above and below, columns left and right.</summary>
internal readonly record struct Padding2(int Top, int Left, int Bottom, int Right)
{
    public int Rows => Top + Bottom;

    public int Columns => Left + Right;

    /// <summary>For descriptions: <c>1</c> when even all round, else <c>0,1,1,0</c> (top, left, bottom, right).</summary>
    public override string ToString() => Top == Left && Left == Bottom && Bottom == Right
        ? Top.ToString(CultureInfo.InvariantCulture)
        : string.Format(CultureInfo.InvariantCulture, "{0},{1},{2},{3}", Top, Left, Bottom, Right);
}
