using BenchmarkDotNet.Running;

namespace NetGen.Benchmarks;

/// <summary>
/// Entry point for all benchmark groups (one class each): pick them with --filter, e.g.
/// <c>dotnet run -c Release --project bench/NetGen.Benchmarks -- --filter '*Generator*'</c>.
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
