using BenchmarkDotNet.Running;

namespace NetGen.Benchmarks;

/// <summary>
/// Entry point for all benchmark groups (one class each): pick them with --filter, e.g.
/// <c>dotnet run -c Release --project bench/NetGen.Benchmarks -- --filter '*Generator*'</c>.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        // Not a BenchmarkDotNet benchmark: one CSV load's peak memory in a fresh process (CsvLoadBenchmarks.cs).
        if (args.Length > 0 && args[0] == "csv-peak")
        {
            CsvPeak.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : CsvLoadBenchmarks.Rows);
            return;
        }
        // Not BenchmarkDotNet runs either: the roofline's counts, alone or joined with a run's JSON reports (RooflineTable.cs).
        if (args.Length == 1 && args[0] == "roofline-counts")
        {
            Roofline.RooflineTable.Counts();
            return;
        }
        if (args.Length == 2 && args[0] == "roofline-table")
        {
            Roofline.RooflineTable.Table(args[1]);
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
