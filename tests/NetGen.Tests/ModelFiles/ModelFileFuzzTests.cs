using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using NetGen.Tests.Networks;
using NetGen.Tests.Fuzzing;
using Xunit;
using Xunit.Abstractions;
using static NetGen.Tests.ModelFiles.ModelFileTestKit;

namespace NetGen.Tests.ModelFiles;

/// <summary>
/// Thousands of mutated model files (bit flips, truncations, length-field edits, header JSON edits, data edits): the
/// reader either loads one or refuses it with a <see cref="ModelFormatException"/> and an unchanged network; no other
/// exception escapes.
/// </summary>
public partial class ModelFileFuzzTests(ITestOutputHelper output)
{
    private const int Iterations = 12_000;
    private const string Name = "fuzz.safetensors";

    [GeneratedRegex(@"-?\d+")]
    private static partial Regex Number();

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""")]
    private static partial Regex JsonString();

    private static readonly string[] NumberReplacements =
    {
        "-1", "0", "1", "2", "4", "7", "140", "1.5", "1e3", "1e400", "-0", "99999999999999999999", "9223372036854775807",
        "18446744073709551615", "2147483648", "\"7\"", "null", "[]", "{}", "true", "[7,5]", "[0,140]", "[1]", "[8]",
    };

    private static readonly string[] StringReplacements =
    {
        "\"\"", "\"F16\"", "\"F32\"", "\"I64\"", "\"bn1.num_batches_tracked\"", "\"bn1.running_var\"", "\"BF16\"", "\"fc1.weight\"", "\"fc1.bias\"", "\"__metadata__\"", "\"\\ud800\"", "\"\\u0000\"",
        "\"épsilon\"", "\"NaN\"", "\"0,0,0,0\"", "\"1,2,3,4\"", "\"-1\"", "\"0\"", "\"1\"", "\"shape\"", "\"dtype\"", "\"data_offsets\"",
        "\"epoch\"", "\"optimizer_step\"", "\"dropout_state\"", "\"spec_hash\"", "\"fc1.weight.exp_avg\"", "1", "[]", "{}", "null",
    };

    private static readonly string[] Insertions = { "{", "}", "[", "]", "\"", ",", ":", "\\", " ", "0", "a", "-", "é", "\u0001", "{}", "[]", "\"x\":1," };

    private static byte[] Mutate(byte[] source, Random random, out string how)
    {
        byte[] file = source.ToArray();
        switch (random.Next(9))
        {
            case 0:
                return ByteMutations.FlipBits(file, random, out how);
            case 1:
            {
                int headerEnd = 8 + (int)BitConverter.ToUInt64(source, 0);
                int at = random.Next(headerEnd);
                file[at] = (byte)random.Next(256);
                how = $"header byte {at} set to {file[at]}";
                return file;
            }
            case 2:
                return ByteMutations.Truncate(file, random, out how);
            case 3:
            {
                ulong actual = BitConverter.ToUInt64(source, 0);
                ulong value = random.Next(8) switch
                {
                    0 => 0,
                    1 => actual + (ulong)random.Next(1, 17),
                    2 => actual - (ulong)random.Next(1, 17),
                    3 => (ulong)(source.Length - 8),
                    4 => (ulong)random.NextInt64(),
                    5 => ulong.MaxValue - (ulong)random.Next(16),
                    6 => 100_000_000 + (ulong)random.Next(-2, 3),
                    _ => (ulong)random.Next(source.Length),
                };
                BitConverter.TryWriteBytes(file.AsSpan(0, 8), value);
                how = $"length field {value}";
                return file;
            }
            case 4:
            case 5:
            case 6:
                return EditHeader(source, random, out how);
            case 7:
            {
                var (header, data) = Split(source);
                int at = random.Next(data.Length / 4) * 4;
                float value = random.Next(4) switch { 0 => float.NaN, 1 => float.PositiveInfinity, 2 => float.NegativeInfinity, _ => (float)random.NextDouble() };
                BitConverter.TryWriteBytes(data.AsSpan(at, 4), value);
                how = $"data value {at / 4} set to {value}";
                return Join(header, data);
            }
            default:
                return ByteMutations.Append(file, random, 64, out how);
        }
    }

    /// <summary>A base file's header, data, and the positions of the numbers and strings in its header (found once per base file).</summary>
    private sealed record HeaderParts(string Header, byte[] Data, Match[] Numbers, Match[] Strings);

    private static readonly ConditionalWeakTable<byte[], HeaderParts> Parts = new();

    /// <summary>An edit of the header's JSON text, with the length field fixed so the edit reaches the JSON reader.</summary>
    private static byte[] EditHeader(byte[] source, Random random, out string how)
    {
        var (header, data, numbers, strings) = Parts.GetValue(source, s =>
        {
            var (h, d) = Split(s);
            return new HeaderParts(h, d, Number().Matches(h).ToArray(), JsonString().Matches(h).ToArray());
        });
        string edited;
        switch (random.Next(6))
        {
            case 0:
            {
                Match m = numbers[random.Next(numbers.Length)];
                string replacement = NumberReplacements[random.Next(NumberReplacements.Length)];
                edited = header[..m.Index] + replacement + header[(m.Index + m.Length)..];
                how = $"number {m.Value} at {m.Index} replaced by {replacement}";
                break;
            }
            case 1:
            {
                Match m = strings[random.Next(strings.Length)];
                string replacement = StringReplacements[random.Next(StringReplacements.Length)];
                edited = header[..m.Index] + replacement + header[(m.Index + m.Length)..];
                how = $"string {m.Value} at {m.Index} replaced by {replacement}";
                break;
            }
            case 2:
            {
                int at = random.Next(header.Length);
                edited = header.Remove(at, 1);
                how = $"character {at} deleted";
                break;
            }
            case 3:
            {
                int at = random.Next(header.Length + 1);
                string insertion = Insertions[random.Next(Insertions.Length)];
                edited = header.Insert(at, insertion);
                how = $"{insertion} inserted at {at}";
                break;
            }
            case 4:
            {
                int at = random.Next(header.Length), length = random.Next(1, Math.Min(80, header.Length - at) + 1);
                edited = header.Remove(at, length);
                how = $"{length} characters deleted at {at}";
                break;
            }
            default:
            {
                int at = random.Next(header.Length), length = random.Next(1, Math.Min(120, header.Length - at) + 1);
                int to = random.Next(header.Length + 1);
                edited = header.Insert(to, header.Substring(at, length));
                how = $"{length} characters from {at} copied to {to}";
                break;
            }
        }
        return Join(Encoding.UTF8.GetBytes(edited), data);
    }

    [Fact]
    public void Mutated_files_raise_only_ModelFormatException_and_change_nothing()
    {
        using ITestNetwork tiny = NetworkTestKit.Create("tiny", seed: 3);
        TrainSomeSteps(tiny, steps: 2);
        using ITestNetwork dropout = NetworkTestKit.Create("dropout", seed: 4);
        TrainSomeSteps(dropout, steps: 2);
        using var batchNorm = FakeBatchNormNetwork.Small(seed: 8);
        batchNorm.Step = 300; // the counter's bytes are not all zero
        var bases = new (byte[] File, INetwork Network)[]
        {
            (SavedBytes(tiny, new TrainingPosition(1, 4, TrainingPosition.Start(3).ShuffleState)), NetworkTestKit.Create("tiny", seed: 5)),
            (SavedBytes(dropout, new TrainingPosition(2, 0, TrainingPosition.Start(4).ShuffleState)), NetworkTestKit.Create("dropout", seed: 6)),
            (ReferenceSafetensors.Build(ReferenceSafetensors.StateDict(tiny)), NetworkTestKit.Create("tiny", seed: 7)),
            // Buffers and I64 batch counters, as NetGen writes them and as PyTorch does (sorted: a counter at an unaligned offset).
            (SavedBytes(batchNorm, new TrainingPosition(1, 2, TrainingPosition.Start(8).ShuffleState)), FakeBatchNormNetwork.Small(seed: 9)),
            (ReferenceSafetensors.Build(ReferenceSafetensors.StateDict(batchNorm)), FakeBatchNormNetwork.Small(seed: 10)),
        };
        var random = new Random(20240611);
        var escaped = new List<string>();
        int loaded = 0, refused = 0;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < Iterations; i++)
        {
            var (source, network) = bases[i % bases.Length];
            byte[] mutated = Mutate(source, random, out string how);
            var snapshot = new NetworkSnapshot(network);
            try
            {
                ModelFile.Load(new MemoryStream(mutated), Name, network);
                loaded++;
            }
            catch (ModelFormatException ex)
            {
                refused++;
                if (!ex.Message.StartsWith(Name + ": ", StringComparison.Ordinal) || ex.Message.Contains('\n'))
                    escaped.Add($"{how}: message not one line naming the file: {ex.Message}");
                if (!snapshot.Unchanged()) escaped.Add($"{how}: refused ({ex.Message}) but the network was changed");
            }
            catch (Exception ex)
            {
                escaped.Add($"{how}: {ex.GetType().Name}: {ex.Message}");
            }
        }
        output.WriteLine($"{Iterations} mutated files in {clock.ElapsedMilliseconds} ms: {loaded} loaded, {refused} refused, {escaped.Count} failures");
        foreach (var (_, network) in bases) network.Dispose();

        Assert.True(escaped.Count == 0, $"{escaped.Count} failures, e.g.:\n" + string.Join("\n", escaped.Take(10)));
        Assert.True(refused > Iterations / 2, $"only {refused} of {Iterations} mutations were refused");
    }
}
