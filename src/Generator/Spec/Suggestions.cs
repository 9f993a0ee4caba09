using System;
using System.Collections.Generic;

namespace NetGen.Generator.Spec;

/// <summary>The "did you mean" of a misspelt word.</summary>
internal static class Suggestions
{
    /// <summary>The closest known word within two edits (or differing only in case, '-' or '_'), if any.</summary>
    public static string? Closest(string word, IEnumerable<string> known)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in known)
        {
            int distance = Normalize(word) == Normalize(candidate) ? 0 : EditDistance(word.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = candidate;
            }
        }
        return bestDistance <= Math.Min(2, Math.Max(1, word.Length / 3)) ? best : null;

        static string Normalize(string s) => s.Replace("_", "").Replace("-", "").ToLowerInvariant();
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
