using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using NetGen.Tests.Fuzzing;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Tests.Data;

/// <summary>
/// Thousands of mutated IDX files, plain and gzipped (bit flips, byte edits, truncations, dimension and header edits,
/// appended bytes): the reader either reads one or refuses it with a <see cref="DataFormatException"/>; no other
/// exception escapes.
/// </summary>
public class IdxReaderFuzzTests(ITestOutputHelper output)
{
    private const int Iterations = 12_000;
    private const string Name = "fuzz-idx3-ubyte";

    /// <summary>
    /// Dimension values to write. They are kept to claims of at most a few megabytes, so the fuzz stays fast;
    /// <see cref="Huge_claims_are_refused"/> covers the large ones (read in pieces, never allocated whole).
    /// </summary>
    private static readonly int[] Dimensions = { 0, -1, 1, 2, 3, 4, 5, 28, 255, 256, 1000, 65536, int.MinValue, int.MaxValue };

    private static byte[] Mutate(byte[] plain, Random random, out string how)
    {
        byte[] file = plain.ToArray();
        switch (random.Next(8))
        {
            case 0:
                return ByteMutations.FlipBits(file, random, out how);
            case 1:
            {
                int at = random.Next(Math.Min(file.Length, 20));
                file[at] = (byte)random.Next(256);
                how = $"header byte {at} set to {file[at]}";
                return file;
            }
            case 2:
                return ByteMutations.Truncate(file, random, out how);
            case 3:
            {
                int rank = file[3];
                int which = random.Next(Math.Max(1, Math.Min(rank, 4)));
                int value = Dimensions[random.Next(Dimensions.Length)];
                if (value == int.MaxValue && rank > 1) value = 1 << 20; // with the other dimensions, a few megabytes at most
                if (value == 65536 && rank > 2) value = 300;
                if (8 + 4 * which <= file.Length)
                {
                    file[4 + 4 * which] = (byte)(value >> 24);
                    file[5 + 4 * which] = (byte)(value >> 16);
                    file[6 + 4 * which] = (byte)(value >> 8);
                    file[7 + 4 * which] = (byte)value;
                }
                how = $"dimension {which} set to {value}";
                return file;
            }
            case 4:
            {
                file[3] = (byte)random.Next(7);
                how = $"rank set to {file[3]}";
                return file;
            }
            case 5:
            {
                file[2] = (byte)random.Next(256);
                how = $"type set to 0x{file[2]:x2}";
                return file;
            }
            case 6:
                return ByteMutations.Append(file, random, 40, out how);
            default:
                return ByteMutations.Remove(file, random, 16, out how);
        }
    }

    private static List<string> Run(Func<Random, (byte[] File, string How)> make, int iterations, int seed, out int read)
    {
        var random = new Random(seed);
        var escaped = new List<string>();
        read = 0;
        for (int i = 0; i < iterations; i++)
        {
            var (file, how) = make(random);
            try
            {
                IdxReader.Read(new MemoryStream(file), Name);
                read++;
            }
            catch (DataFormatException ex)
            {
                if (!ex.Message.StartsWith(Name + ": ", StringComparison.Ordinal) || ex.Message.Contains('\n'))
                    escaped.Add($"{how}: message not one line naming the file: {ex.Message}");
            }
            catch (Exception ex)
            {
                escaped.Add($"{how}: {ex.GetType().Name}: {ex.Message}");
            }
        }
        return escaped;
    }

    private static readonly byte[][] Bases =
    {
        IdxTestFiles.Images(6, 4, 3),
        IdxTestFiles.Labels(1, 2, 3, 4, 5, 6, 7, 8, 9, 0),
        IdxTestFiles.Bytes(new[] { 2, 3, 2, 2 }, IdxTestFiles.Pattern(24)),
        IdxTestFiles.Bytes(new[] { 2, 3 }, IdxTestFiles.Pattern(6)),
    };

    [Fact]
    public void Mutated_plain_files_raise_only_DataFormatException()
    {
        var clock = Stopwatch.StartNew();
        List<string> escaped = Run(random =>
        {
            byte[] file = Mutate(Bases[random.Next(Bases.Length)], random, out string how);
            if (random.Next(4) == 0 && file.Length >= 8)
            {
                file = Mutate(file, random, out string second);
                how += ", then " + second;
            }
            return (file, how);
        }, Iterations, 1, out int read);
        output.WriteLine($"{Iterations} mutated plain files in {clock.ElapsedMilliseconds} ms: {read} read, {Iterations - read - escaped.Count} refused");
        Assert.True(escaped.Count == 0, $"{escaped.Count} failures, e.g.:\n" + string.Join("\n", escaped.Take(10)));
        Assert.True(read < Iterations / 2, $"{read} of {Iterations} mutated files were read");
    }

    [Fact]
    public void Mutated_gzipped_files_raise_only_DataFormatException()
    {
        byte[][] gzipped = Bases.Select(IdxTestFiles.Gzip).ToArray();
        var clock = Stopwatch.StartNew();
        List<string> escaped = Run(random =>
        {
            if (random.Next(2) == 0)
            {
                // A valid gzip stream of a mutated IDX file.
                byte[] inner = Mutate(Bases[random.Next(Bases.Length)], random, out string how);
                return (IdxTestFiles.Gzip(inner), "gzip of " + how);
            }
            byte[] source = gzipped[random.Next(gzipped.Length)];
            byte[] file = source.ToArray();
            switch (random.Next(3))
            {
                case 0:
                    int flips = 1 + random.Next(3);
                    for (int i = 0; i < flips; i++) file[random.Next(file.Length)] ^= (byte)(1 << random.Next(8));
                    return (file, $"{flips} bit flips in the gzip stream");
                case 1:
                    int length = random.Next(2, file.Length);
                    return (file[..length], $"gzip stream truncated to {length} bytes");
                default:
                    int at = random.Next(file.Length);
                    file[at] = (byte)random.Next(256);
                    return (file, $"gzip byte {at} set to {file[at]}");
            }
        }, Iterations, 2, out int read);
        output.WriteLine($"{Iterations} mutated gzipped files in {clock.ElapsedMilliseconds} ms: {read} read");
        Assert.True(escaped.Count == 0, $"{escaped.Count} failures, e.g.:\n" + string.Join("\n", escaped.Take(10)));
    }

    [Theory]
    [InlineData(new[] { int.MaxValue })]
    [InlineData(new[] { 60000, 28, 28 })]
    [InlineData(new[] { 65536, 65536 })]
    [InlineData(new[] { int.MaxValue, int.MaxValue, int.MaxValue, int.MaxValue })]
    public void Huge_claims_are_refused(int[] dimensions)
    {
        byte[] file = IdxTestFiles.Bytes(dimensions, IdxTestFiles.Pattern(10));
        var ex = Allocations.Measure(() => Assert.Throws<DataFormatException>(() => IdxReader.Read(new MemoryStream(file), Name)), out long allocated);
        Assert.Matches("truncated|too large", ex.Message);
        // A short file claiming gigabytes must not make the reader allocate them: its length is known, so nothing is.
        Assert.True(allocated < 64 << 10, $"allocated {allocated} bytes for a {file.Length}-byte file");
    }
}
