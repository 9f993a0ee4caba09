using System.Globalization;
using System.Text;

namespace NetGen.Generator.Emit;

/// <summary>C# literals, in the invariant culture, so the generated code is the same on every machine.</summary>
internal static class Literals
{
    /// <summary>A float literal that round-trips: <c>0.001f</c>, <c>1E-08f</c>.</summary>
    public static string Float(float value) => value.ToString("R", CultureInfo.InvariantCulture) + "f";

    /// <summary>A float as the spec would write it, for comments and descriptions: <c>0.25</c>.</summary>
    public static string Number(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A double literal that round-trips: <c>0.999</c>, <c>1E-08</c>.</summary>
    public static string Double(double value)
    {
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOfAny(new[] { '.', 'E' }) >= 0 ? text : text + ".0";
    }

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A C# string literal.</summary>
    public static string String(string value)
    {
        var sb = new StringBuilder("\"");
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                default:
                    if (c < ' ' || c > '~') sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }
}
