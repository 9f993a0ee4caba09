using System.Text;

namespace NetGen.Generator.Language;

/// <summary>
/// How names of nets.json become C# identifiers, in one place: the planner names members with it, and the rules use
/// it to find layer names that would clash.
/// </summary>
internal static class Identifiers
{
    /// <summary><c>fc1</c> -> <c>Fc1</c>, <c>hidden_out</c> -> <c>HiddenOut</c>.</summary>
    public static string Pascal(string name)
    {
        var sb = new StringBuilder();
        bool upper = true;
        foreach (char c in name)
        {
            if (c == '_' || c == '-')
            {
                upper = true;
                continue;
            }
            sb.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }
        return sb.ToString();
    }

    /// <summary><c>fc1</c> -> <c>fc1</c>, <c>Hidden</c> -> <c>hidden</c>: the prefix of a layer's fields and locals.</summary>
    public static string Camel(string name)
    {
        string pascal = Pascal(name);
        return char.ToLowerInvariant(pascal[0]) + pascal.Substring(1);
    }

    /// <summary>What two names must not share, since they would give the same members: their Pascal form, ignoring case.</summary>
    public static string MemberKey(string name) => Pascal(name).ToUpperInvariant();

    /// <summary>A layer name nets.json accepts: an ASCII letter, then letters, digits and '_'.</summary>
    public static bool IsLayerName(string s)
    {
        if (s.Length == 0 || !IsAsciiLetter(s[0])) return false;
        foreach (char c in s)
        {
            if (!(IsAsciiLetter(c) || (c >= '0' && c <= '9') || c == '_')) return false;
        }
        return true;
    }

    /// <summary>A network name nets.json accepts: a letter, then letters, digits, '_' or '-'.</summary>
    public static bool IsNetworkName(string s)
    {
        if (s.Length == 0 || !IsAsciiLetter(s[0])) return false;
        foreach (char c in s)
        {
            if (!(IsAsciiLetter(c) || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
        }
        return true;
    }

    private static bool IsAsciiLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
