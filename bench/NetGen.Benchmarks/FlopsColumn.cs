using System;
using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace NetGen.Benchmarks;

/// <summary>
/// GFLOP/s of a benchmark: its floating-point operations per call (a multiply-add is two), given by the benchmark class for each
/// method (or for each case: method and parameters), over the mean time. Computed in the host process from the class's static
/// table, not from the child's measurements.
/// </summary>
public sealed class FlopsColumn : IColumn
{
    private readonly string _header;
    private readonly Func<BenchmarkCase, double?> _flops;
    private readonly string? _legend;

    public FlopsColumn(string header, IReadOnlyDictionary<string, double> flops)
        : this(header, c => flops.TryGetValue(c.Descriptor.WorkloadMethod.Name, out double f) ? f : null)
    {
    }

    /// <param name="header">The column's name.</param>
    /// <param name="flops">The operations of one call of a case (its method and parameters), or null for none.</param>
    /// <param name="legend">What the column means, when it counts something else than floating-point operations (bytes: GB/s).</param>
    public FlopsColumn(string header, Func<BenchmarkCase, double?> flops, string? legend = null)
    {
        _header = header;
        _flops = flops;
        _legend = legend;
    }

    public string Id => nameof(FlopsColumn) + "." + _header;
    public string ColumnName => _header;
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => _legend ?? $"{_header}: floating-point operations per call (a multiply-add is two) over the mean time, in 10^9 per second";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        if (_flops(benchmarkCase) is not double flops) return "-";
        var report = summary[benchmarkCase];
        double? nanoseconds = report?.ResultStatistics?.Mean;
        return nanoseconds is double ns && ns > 0 ? (flops / ns).ToString("F1", System.Globalization.CultureInfo.InvariantCulture) : "-";
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(b => _flops(b) is not null);
}
