using System;
using System.Linq;

namespace NetGen.Tests.Fuzzing;

/// <summary>
/// The file-format-blind mutations the readers' fuzz tests share (IDX, safetensors, ONNX): each takes a copy of a valid
/// file's bytes, changes it as seeded by <paramref name="random"/>, and says how in <c>how</c> (for a failure's message).
/// Each draws from the random source in a fixed order, so a seed gives the same files every run.
/// </summary>
internal static class ByteMutations
{
    /// <summary>One to four single bits flipped anywhere (in place).</summary>
    public static byte[] FlipBits(byte[] file, Random random, out string how)
    {
        int flips = 1 + random.Next(4);
        for (int i = 0; i < flips; i++) file[random.Next(file.Length)] ^= (byte)(1 << random.Next(8));
        how = $"{flips} bit flips";
        return file;
    }

    /// <summary>The first 0 to length - 1 bytes.</summary>
    public static byte[] Truncate(byte[] file, Random random, out string how)
    {
        int length = random.Next(file.Length);
        how = $"truncated to {length} bytes";
        return file[..length];
    }

    /// <summary>1 to <paramref name="most"/> - 1 random bytes after the end.</summary>
    public static byte[] Append(byte[] file, Random random, int most, out string how)
    {
        byte[] tail = new byte[random.Next(1, most)];
        random.NextBytes(tail);
        how = $"{tail.Length} bytes appended";
        return file.Concat(tail).ToArray();
    }

    /// <summary>1 to <paramref name="most"/> bytes removed from a random place.</summary>
    public static byte[] Remove(byte[] file, Random random, int most, out string how)
    {
        int at = random.Next(file.Length), count = random.Next(1, Math.Min(most, file.Length - at) + 1);
        how = $"{count} bytes removed at {at}";
        return file[..at].Concat(file[(at + count)..]).ToArray();
    }
}
