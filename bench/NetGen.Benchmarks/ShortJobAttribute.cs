using System;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;

namespace NetGen.Benchmarks;

/// <summary>
/// A short job (one launch, few iterations) for one benchmark class, unless the command line picks a job with
/// <c>--job</c>/<c>-j</c>. BenchmarkDotNet runs the command line's jobs <em>and</em> those of attributes such as
/// <c>[SimpleJob]</c>, so with a <c>[SimpleJob]</c> <c>--job dry</c> would not be a quick smoke run: it would add a dry
/// run to the full one. This attribute gives no job when the command line names one, so <c>--job dry</c> (or
/// <c>short</c>, <c>medium</c>, ...) replaces it.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ShortJobAttribute : Attribute, IConfigSource
{
    /// <param name="warmupCount">Warm-up iterations.</param>
    /// <param name="iterationCount">Measured iterations.</param>
    /// <param name="strategy">
    /// <see cref="RunStrategy.Throughput"/> for short calls (a pilot picks the invocations per iteration), or
    /// <see cref="RunStrategy.Monitoring"/> for long ones (one invocation per iteration, no pilot, no overhead subtraction).
    /// </param>
    public ShortJobAttribute(int warmupCount, int iterationCount, RunStrategy strategy = RunStrategy.Throughput)
    {
        Job job = new Job(strategy == RunStrategy.Monitoring ? "ShortMonitoring" : "Short")
            .WithStrategy(strategy)
            .WithLaunchCount(1)
            .WithWarmupCount(warmupCount)
            .WithIterationCount(iterationCount);
        Config = CommandLineNamesJob() ? ManualConfig.CreateEmpty() : ManualConfig.CreateEmpty().AddJob(job);
    }

    /// <inheritdoc/>
    public IConfig Config { get; }

    private static bool CommandLineNamesJob() => Environment.GetCommandLineArgs().Any(arg =>
        arg is "--job" or "-j" || arg.StartsWith("--job=", StringComparison.Ordinal) || arg.StartsWith("-j=", StringComparison.Ordinal));
}
