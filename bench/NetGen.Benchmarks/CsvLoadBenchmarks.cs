using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace NetGen.Benchmarks;

/// <summary>
/// <see cref="CsvData.Load"/> of 1,000,000 rows of 50 numeric features and a text label (c0 to c9), about 372 MB of
/// CSV: the 200 MB float matrix it makes is the target's yardstick (5 s or less, at most 2.5 times its memory). The file
/// is written once per benchmark process into the temp folder (about 10 s) and deleted at the end. One load per
/// iteration (RunStrategy.Monitoring). The peak memory of one load in a fresh process: <see cref="CsvPeak"/>.
/// </summary>
[MemoryDiagnoser]
[ShortJob(warmupCount: 1, iterationCount: 5, strategy: RunStrategy.Monitoring)]
public class CsvLoadBenchmarks
{
    public const int Rows = 1_000_000;
    public const int Features = 50;

    private string _path = "";

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"netgen-csv-bench-{Environment.ProcessId}.csv");
        WriteFile(_path, Rows, Features);
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_path);

    [Benchmark]
    public int Load() => CsvData.Load(_path).Rows;

    /// <summary>
    /// Writes <paramref name="rows"/> rows of <paramref name="features"/> values in [-10, 10) with up to 4 decimals
    /// ("-5.0266") and a label "c0" to "c9", after a header f0,...,label; the same file for the same arguments.
    /// </summary>
    public static void WriteFile(string path, int rows, int features)
    {
        var random = new Random(1);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        var line = new StringBuilder();
        for (int f = 0; f < features; f++) line.Append('f').Append(f).Append(',');
        writer.Write(line.Append("label\n"));
        Span<char> number = stackalloc char[32];
        for (int r = 0; r < rows; r++)
        {
            line.Clear();
            for (int f = 0; f < features; f++)
            {
                (random.NextDouble() * 20 - 10).TryFormat(number, out int length, "0.####", CultureInfo.InvariantCulture);
                line.Append(number[..length]).Append(',');
            }
            writer.Write(line.Append('c').Append(random.Next(10)).Append('\n'));
        }
    }
}

/// <summary>
/// <c>csv-peak [rows]</c>: writes the benchmark's CSV, then loads it once in this fresh process and prints the time, the
/// bytes allocated and the peak working set against the float matrix. Outside BenchmarkDotNet, whose processes would
/// hold its own allocations in their peak.
/// </summary>
public static class CsvPeak
{
    public static void Run(int rows)
    {
        string path = Path.Combine(Path.GetTempPath(), $"netgen-csv-peak-{Environment.ProcessId}.csv");
        try
        {
            CsvLoadBenchmarks.WriteFile(path, rows, CsvLoadBenchmarks.Features);
            GC.Collect();
            using var self = Process.GetCurrentProcess();
            self.Refresh();
            long before = self.WorkingSet64, peakBefore = self.PeakWorkingSet64;
            long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            CsvTable table = CsvData.Load(path);
            clock.Stop();
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            self.Refresh();
            double matrix = (double)table.Features.Length * sizeof(float);
            Console.WriteLine($"{new FileInfo(path).Length / 1e6:F0} MB of CSV, {table.Rows} rows x {table.FeatureCount} features, {table.ClassNames!.Length} classes");
            Console.WriteLine($"load: {clock.Elapsed.TotalSeconds:F2} s");
            Console.WriteLine($"allocated: {allocated / 1e6:F0} MB ({allocated / matrix:F2} x the {matrix / 1e6:F0} MB float matrix)");
            Console.WriteLine($"peak working set: {self.PeakWorkingSet64 / 1e6:F0} MB ({self.PeakWorkingSet64 / matrix:F2} x the matrix; " +
                $"{before / 1e6:F0} MB before the load, peak before {peakBefore / 1e6:F0} MB)");
            GC.KeepAlive(table);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
