using System;
using System.Collections.Generic;

namespace NetGen.Generator.Spec;

/// <summary>The "did you mean" of a misspelt word.</summary>
internal static class Suggestions
{
    /// <summary>
    /// The closest known word at most two edits away (one for a word of fewer than six letters; a swap of two adjacent
    /// letters is one edit), or differing only in case, '-' or '_', if any.
    /// </summary>
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

    /// <summary>
    /// The optimal string alignment distance (restricted Damerau-Levenshtein): the fewest insertions, deletions,
    /// substitutions and swaps of two adjacent characters that turn <paramref name="a"/> into <paramref name="b"/>,
    /// no substring edited twice. A swap counts as one edit, so "rleu" is one edit from "relu".
    /// </summary>
    internal static int EditDistance(string a, string b)
    {
        // Three rows of the table: i - 2, i - 1 and i.
        var beforePrevious = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                int distance = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    distance = Math.Min(distance, beforePrevious[j - 2] + 1);
                current[j] = distance;
            }
            (beforePrevious, previous, current) = (previous, current, beforePrevious);
        }
        return previous[b.Length];
    }
}
