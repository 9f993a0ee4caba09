using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Tests.Data;

/// <summary>
/// Thousands of mutated CSV files (bytes flipped, inserted, deleted, truncated; separators, quotes, line breaks and
/// blank lines injected), each read with one of several option sets: <see cref="CsvData"/> either reads one into a
/// self-consistent table or refuses it with a one-line <see cref="DataFormatException"/>; no other exception escapes.
/// </summary>
public class CsvFuzzTests(ITestOutputHelper output)
{
    private const int Iterations = 12_000;
    private const string Name = "fuzz.csv";

    private static readonly string[] Bases =
    {
        "a,b,c,label\n1,2.5,-3,cat\n4,5e-1,6,dog\n7, 8 ,9,cat\n",
        "x;y;target\r\n0.5;1;2.5\r\n-1;2;3.25\r\n3;4;-1e2\r\n",
        "\"f,1\",\"f\"\"2\",class\n\"1\",2,\"multi\nline\"\n3,\"4\",plain\n5,6,\"q\"\"uote\"\n",
        "id\tv1\tv2\ty\n1\t0.1\t0.2\t0\n2\t0.3\t0.4\t1\n3\t0.5\t0.6\t1\n",
        "\uFEFFp,q,r\n1,2,3\n4,5,6\n\n\n",
        "1,2,a\n3,4,b\n5,6,a",
    };

    private static readonly CsvOptions[] OptionSets =
    {
        new(),
        new() { HasHeader = false },
        new() { Task = CsvTask.Classification },
        new() { Task = CsvTask.Regression },
        new() { ClassNames = new[] { "cat", "dog", "0", "1", "a", "b", "plain" } },
        new() { Separator = ',' },
        new() { Ignore = new[] { "0" } },
        new() { Targets = new[] { "0", "1" } },
        new() { Features = new[] { "1", "2" } },
        new() { Targets = Array.Empty<string>() },
    };

    private static readonly byte[] Injections = Encoding.UTF8.GetBytes(",;\t\"\n\r\"\"\n\n,,\r\n ").Concat(new byte[] { 0, 0xEF, 0xBB, 0xBF, 0xFF }).ToArray();

    private static byte[] Mutate(byte[] source, Random random, out string how)
    {
        var file = source.ToList();
        int at = file.Count == 0 ? 0 : random.Next(file.Count);
        switch (random.Next(7))
        {
            case 0:
            {
                int flips = 1 + random.Next(3);
                for (int i = 0; i < flips && file.Count > 0; i++) file[random.Next(file.Count)] ^= (byte)(1 << random.Next(8));
                how = $"{flips} bit flips";
                break;
            }
            case 1:
            {
                byte b = (byte)random.Next(256);
                file.Insert(at, b);
                how = $"byte {b} inserted at {at}";
                break;
            }
            case 2:
            {
                int length = Math.Min(file.Count - at, random.Next(1, 8));
                file.RemoveRange(at, length);
                how = $"{length} bytes removed at {at}";
                break;
            }
            case 3:
            {
                int length = random.Next(file.Count + 1);
                file.RemoveRange(length, file.Count - length);
                how = $"truncated to {length} bytes";
                break;
            }
            case 4:
            {
                int count = 1 + random.Next(3);
                for (int i = 0; i < count; i++) file.Insert(random.Next(file.Count + 1), Injections[random.Next(Injections.Length)]);
                how = $"{count} separators, quotes or line breaks injected";
                break;
            }
            case 5:
            {
                if (file.Count > 0) file[at] = Injections[random.Next(Injections.Length)];
                how = $"byte {at} replaced by a separator, quote or line break";
                break;
            }
            default:
            {
                byte[] digits = Encoding.ASCII.GetBytes(random.Next(2) == 0 ? "1e39" : "-0.5e-3");
                file.InsertRange(at, digits);
                how = $"a number inserted at {at}";
                break;
            }
        }
        return file.ToArray();
    }

    private static string? Check(CsvTable t)
    {
        if (t.Rows <= 0) return $"{t.Rows} rows";
        if (t.FeatureCount <= 0 || t.FeatureNames.Length != t.FeatureCount) return "no features";
        if (t.Features.Length != t.Rows * t.FeatureCount) return $"{t.Features.Length} features for {t.Rows} x {t.FeatureCount}";
        if (t.Features.Any(f => !float.IsFinite(f))) return "a feature is not finite";
        if (t.DisplayName != Name) return "display name";
        if (t.IsClassification && t.TargetNames.Length == 1)
        {
            if (t.Labels is null || t.ClassNames is null || t.Targets is not null) return "classification without labels";
            if (t.Labels.Length != t.Rows) return $"{t.Labels.Length} labels for {t.Rows} rows";
            if (t.Labels.Any(l => l < 0 || l >= t.ClassNames.Length)) return "a label outside the classes";
            if (t.ClassNames.Distinct().Count() != t.ClassNames.Length) return "duplicate class names";
        }
        else if (t.TargetNames.Length > 0)
        {
            if (t.IsClassification || t.Labels is not null || t.Targets is null) return "regression without targets";
            if (t.Targets.Length != t.Rows * t.TargetNames.Length) return $"{t.Targets.Length} targets for {t.Rows} x {t.TargetNames.Length}";
            if (t.Targets.Any(v => !float.IsFinite(v))) return "a target is not finite";
        }
        if (t.FeatureNames.Concat(t.TargetNames).Any(n => n.Length == 0)) return "an empty column name";
        return null;
    }

    [Fact]
    public void Mutated_files_raise_only_DataFormatException()
    {
        var clock = Stopwatch.StartNew();
        var random = new Random(1);
        byte[][] bases = Bases.Select(Encoding.UTF8.GetBytes).ToArray();
        var escaped = new List<string>();
        int read = 0;
        for (int i = 0; i < Iterations; i++)
        {
            int which = random.Next(bases.Length);
            byte[] file = Mutate(bases[which], random, out string how);
            for (int more = random.Next(3); more > 0; more--)
            {
                file = Mutate(file, random, out string next);
                how += ", then " + next;
            }
            CsvOptions options = OptionSets[random.Next(OptionSets.Length)];
            how = $"base {which}, options {Array.IndexOf(OptionSets, options)}: {how}";
            try
            {
                using var text = new StreamReader(new MemoryStream(file), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
                CsvTable table = CsvData.Read(text, Name, options);
                read++;
                if (Check(table) is { } problem) escaped.Add($"{how}: inconsistent table: {problem}");
            }
            catch (DataFormatException ex)
            {
                if (!(ex.Message.StartsWith(Name + ": ", StringComparison.Ordinal) || ex.Message.StartsWith(Name + "(line ", StringComparison.Ordinal))
                    || ex.Message.Contains('\n') || ex.Message.Contains('\r'))
                {
                    escaped.Add($"{how}: message not one line naming the file: {ex.Message}");
                }
            }
            catch (Exception ex)
            {
                escaped.Add($"{how}: {ex.GetType().Name}: {ex.Message}");
            }
        }
        output.WriteLine($"{Iterations} mutated CSV files in {clock.ElapsedMilliseconds} ms: {read} read, {Iterations - read - escaped.Count} refused");
        Assert.True(escaped.Count == 0, $"{escaped.Count} failures, e.g.:\n" + string.Join("\n", escaped.Take(10)));
        Assert.True(read > Iterations / 20 && read < Iterations * 19 / 20, $"{read} of {Iterations} mutated files were read");
    }

    [Fact]
    public void The_unmutated_files_are_read_with_the_default_options()
    {
        foreach (string text in Bases)
        {
            CsvTable t = CsvData.Read(new StringReader(text), Name);
            Assert.Null(Check(t));
        }
    }
}
