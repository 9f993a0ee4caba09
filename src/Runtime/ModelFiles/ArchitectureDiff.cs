using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>
/// Says what differs between two <see cref="INetwork.Architecture"/> texts, part by part (the parts are separated by
/// <c>"; "</c>: <c>input 784</c>, <c>fc1 128 relu</c>, ..., <c>loss cross_entropy</c>, <c>optimizer adam</c>).
/// </summary>
internal static class ArchitectureDiff
{
    /// <summary>
    /// The differing parts, e.g. <c>fc1 256 relu vs fc1 128 relu</c>: the parts both texts share at the start and at
    /// the end are left out; when the same number of parts remains on each side they are paired one by one
    /// (only the pairs that differ are named), otherwise the two remainders are shown whole.
    /// </summary>
    /// <param name="inFile">The architecture stored in the file.</param>
    /// <param name="inNetwork">The architecture of the network it is loaded into.</param>
    /// <returns>The differences, or null if the texts are equal.</returns>
    public static string? Describe(string inFile, string inNetwork)
    {
        if (inFile == inNetwork) return null;
        string[] a = inFile.Split("; ");
        string[] b = inNetwork.Split("; ");
        int prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix]) prefix++;
        int suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[a.Length - 1 - suffix] == b[b.Length - 1 - suffix]) suffix++;
        ReadOnlySpan<string> restA = a.AsSpan(prefix, a.Length - prefix - suffix);
        ReadOnlySpan<string> restB = b.AsSpan(prefix, b.Length - prefix - suffix);
        if (restA.Length == restB.Length)
        {
            var pairs = new List<string>(restA.Length);
            for (int i = 0; i < restA.Length; i++)
            {
                if (restA[i] != restB[i]) pairs.Add($"{restA[i]} vs {restB[i]}");
            }
            return string.Join(", ", pairs);
        }
        return $"{Join(restA)} vs {Join(restB)}";
    }

    private static string Join(ReadOnlySpan<string> parts) => parts.Length == 0 ? "(nothing)" : string.Join("; ", parts.ToArray());
}
