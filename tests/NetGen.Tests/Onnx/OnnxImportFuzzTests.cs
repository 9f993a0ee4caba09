using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using NetGen.Tests.Images;
using NetGen.Tests.Networks;
using NetGen.Tests.Fuzzing;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Tests.Onnx;

/// <summary>
/// Thousands of mutated ONNX files (bit flips, byte changes, truncations, insertions, deletions, copies of a stretch elsewhere,
/// appended bytes), from a file NetGen exported and from PyTorch's cnn_bn file: each loads or is refused with a
/// <see cref="ModelFormatException"/> of one line; no other exception escapes. Seeded: the same files every run.
/// </summary>
public sealed class OnnxImportFuzzTests(ITestOutputHelper output)
{
    private const int Iterations = 10_200;

    private static byte[] Mutate(byte[] source, Random random, out string how)
    {
        byte[] file = source.ToArray();
        switch (random.Next(7))
        {
            case 0:
                return ByteMutations.FlipBits(file, random, out how);
            case 1:
            {
                // Bytes of the protobuf structure are mostly in the first part (tags, lengths, names); the weights' data at the end.
                int at = random.Next(2) == 0 ? random.Next(Math.Min(file.Length, 400)) : random.Next(file.Length);
                file[at] = (byte)random.Next(256);
                how = $"byte {at} set to {file[at]}";
                return file;
            }
            case 2:
                return ByteMutations.Truncate(file, random, out how);
            case 3:
            {
                int at = random.Next(file.Length + 1), count = random.Next(1, 9);
                byte[] inserted = new byte[count];
                random.NextBytes(inserted);
                how = $"{count} bytes inserted at {at}";
                return file[..at].Concat(inserted).Concat(file[at..]).ToArray();
            }
            case 4:
                return ByteMutations.Remove(file, random, 64, out how);
            case 5:
            {
                int at = random.Next(file.Length), count = random.Next(1, Math.Min(200, file.Length - at) + 1), to = random.Next(file.Length + 1);
                how = $"{count} bytes from {at} copied to {to}";
                return file[..to].Concat(file[at..(at + count)]).Concat(file[to..]).ToArray();
            }
            default:
                return ByteMutations.Append(file, random, 64, out how);
        }
    }

    [Fact]
    public void Mutated_files_load_or_raise_only_a_one_line_ModelFormatException()
    {
        using INetwork leaky = NetworkTestKit.Create("leaky", seed: 3);
        OnnxImportRoundTripTests.Scramble(leaky, seed: 4);
        var schema = new DataSchema { Standardization = new Standardization(Enumerable.Repeat(0.5f, leaky.InputSize).ToArray(), Enumerable.Repeat(2f, leaky.InputSize).ToArray()) };
        using INetwork smooth = NetworkTestKit.Create("smooth", seed: 3);
        var bases = new (byte[] File, INetwork Network)[]
        {
            (OnnxExport.ToBytes(leaky, schema), NetworkTestKit.Create("leaky", seed: 5)),
            (OnnxExport.ToBytes(smooth, null), NetworkTestKit.Create("smooth", seed: 5)),
            (File.ReadAllBytes(FixtureFile.PathOf("cnn_bn.onnx")), new CnnBnNet(seed: 5)),
        };
        var random = new Random(20261201);
        var escaped = new List<string>();
        int loaded = 0, refused = 0;
        var clock = Stopwatch.StartNew();
        try
        {
            for (int i = 0; i < Iterations; i++)
            {
                var (source, network) = bases[i % bases.Length];
                byte[] mutated = Mutate(source, random, out string how);
                try
                {
                    OnnxImport.Load(new MemoryStream(mutated), network);
                    loaded++;
                }
                catch (ModelFormatException e)
                {
                    refused++;
                    if (!e.Message.StartsWith("stream: ", StringComparison.Ordinal) || e.Message.Contains('\n'))
                        escaped.Add($"iteration {i} ({how}): message \"{e.Message}\"");
                }
                catch (Exception e)
                {
                    escaped.Add($"iteration {i} ({how}): {e.GetType().Name}: {e.Message}");
                }
            }
        }
        finally
        {
            foreach (var (_, network) in bases) network.Dispose();
        }
        output.WriteLine($"{Iterations} mutated files in {clock.Elapsed.TotalSeconds:F1} s: {loaded} loaded, {refused} refused");
        Assert.True(escaped.Count == 0, $"{escaped.Count} failures:\n" + string.Join("\n", escaped.Take(20)));
        Assert.True(refused > Iterations / 3, $"only {refused} refused");
    }
}
