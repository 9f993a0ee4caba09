using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using NetGen.Benchmarks.Peak;
using Core = NetGen.Generated.NetGen_Benchmarks_MnistNetCore;

namespace NetGen.Benchmarks.Roofline;

/// <summary>
/// <c>roofline-counts</c>: what each kernel of <see cref="RooflineKernelBenchmarks"/> does on its batch, counted from the
/// data (<see cref="RooflineState"/>, the same network and batch) and from the generated kernels' loops: multiply-adds dense and
/// done after zero-skipping, and the bytes each loads and stores. <c>roofline-table DIR</c>: the same, joined with the
/// BenchmarkDotNet JSON reports in DIR (RooflineBandwidthBenchmarks, RooflineKernelBenchmarks, FmaPeakBenchmarks), as one table.
/// Not a BenchmarkDotNet run.
/// </summary>
internal static class RooflineTable
{
    private const int R = RooflineState.Rows, In = RooflineState.In, H1 = RooflineState.H1, H2 = RooflineState.H2, Out = RooflineState.Out;
    private const double DefaultPeak = 96.9; // GFLOP/s, FmaPeakBenchmarks' Vector256 result of 2026-11-30

    /// <summary>The memory level a kernel is read against: the bandwidth benchmark's working set (KB) and method.</summary>
    private sealed record Level(string Name, int KB, string Method);

    private static readonly Level L1Read = new("L1 read", 16, "Read"), L2Read = new("L2 read", 256, "Read"),
        L2ReadWrite = new("L2 r+w", 256, "Scale"), L3ReadWrite = new("L3 r+w", 8 * 1024, "Scale"), L1ReadWrite = new("L1 r+w", 16, "Scale");

    /// <summary>One kernel: its benchmark method, multiply-adds dense and done, bytes loaded and stored, what it is read against.</summary>
    private sealed record Row(string Method, string Label, double DenseMacs, double Macs, double Bytes, Level Level, string Note);

    public static void Counts()
    {
        (List<Row> rows, string nonzero) = Count();
        Console.WriteLine(nonzero);
        Console.WriteLine();
        Console.WriteLine("| kernel | multiply-adds dense | multiply-adds done | done/dense | bytes moved | memory level | what is counted |");
        Console.WriteLine("|---|--:|--:|--:|--:|---|---|");
        foreach (Row r in rows)
        {
            Console.WriteLine($"| {r.Label} | {N(r.DenseMacs)} | {N(r.Macs)} | {(r.DenseMacs > 0 ? (r.Macs / r.DenseMacs).ToString("P1", CultureInfo.InvariantCulture).Replace(" ", "", StringComparison.Ordinal) : "-")} | {N(r.Bytes)} | {r.Level.Name} | {r.Note} |");
        }
    }

    public static void Table(string resultsDirectory)
    {
        Dictionary<string, double> means = ReadMeans(resultsDirectory);
        (List<Row> rows, string nonzero) = Count();
        double peak = means.TryGetValue("FmaPeakBenchmarks.Vector256Fma", out double fmaNs)
            ? 2.0 * FmaPeakBenchmarks.Iterations * FmaPeakBenchmarks.Chains * 8 / fmaNs
            : DefaultPeak;
        string peakSource = means.ContainsKey("FmaPeakBenchmarks.Vector256Fma") ? "measured in this run" : "not in this run: 96.9 from bench/README.md";
        Console.WriteLine(nonzero);
        Console.WriteLine($"Vector256 FMA peak: {peak:F1} GFLOP/s ({peakSource})");
        Console.WriteLine();
        Console.WriteLine("| working set | read GB/s | read+write GB/s |");
        Console.WriteLine("|---|--:|--:|");
        foreach ((string name, int kb) in new[] { ("16 KB (L1)", 16), ("256 KB (L2)", 256), ("8 MB (L3)", 8192), ("256 MB (DRAM)", 262144) })
        {
            Console.WriteLine($"| {name} | {F(Bandwidth(means, kb, "Read"))} | {F(Bandwidth(means, kb, "Scale"))} |");
        }
        Console.WriteLine();
        Console.WriteLine("| kernel | time | multiply-adds (done) | GFLOP/s | % of FMA peak | bytes moved | GB/s | % of bandwidth | closest limit |");
        Console.WriteLine("|---|--:|--:|--:|--:|--:|--:|--:|---|");
        double sum = 0;
        foreach (Row r in rows)
        {
            if (!means.TryGetValue("RooflineKernelBenchmarks." + r.Method, out double ns))
            {
                Console.WriteLine($"| {r.Label} | (not run) | {N(r.Macs)} | | | {N(r.Bytes)} | | | |");
                continue;
            }
            if (r.Method is not ("TrainStep" or "AdamInL1" or "ForwardTestSet" or "Predict")) sum += ns;
            if (r.Method == "TrainStep") Console.WriteLine($"| sum of the kernels above | {Time(sum)} | | | | | | | |");
            double gflops = 2 * r.Macs / ns, gbs = r.Bytes / ns;
            double ofPeak = gflops / peak, bandwidth = Bandwidth(means, r.Level.KB, r.Level.Method), ofBandwidth = gbs / bandwidth;
            string limit = Math.Max(ofPeak, ofBandwidth) < 0.4 ? "latency/overhead"
                : ofPeak >= ofBandwidth ? "compute" : r.Level.Name.Split(' ')[0] + " bandwidth";
            // Adam as slow on data that stays in L1 as on its 3 MB: what it waits on is its arithmetic, not memory.
            if (r.Method == "Adam" && means.TryGetValue("RooflineKernelBenchmarks.AdamInL1", out double inL1) && inL1 >= 0.85 * ns)
            {
                limit = "arithmetic: sqrt + division (as slow in L1)";
            }
            if (r.Method == "AdamInL1") limit = "arithmetic: sqrt + division";
            Console.WriteLine($"| {r.Label} | {Time(ns)} | {(r.Macs > 0 ? N(r.Macs) : "-")} | {(r.Macs > 0 ? F(gflops) : "-")} | " +
                $"{(r.Macs > 0 ? P(ofPeak) : "-")} | {N(r.Bytes)} | {F(gbs)} | {P(ofBandwidth)} of {r.Level.Name} | {limit} |");
        }
    }

    /// <summary>The rows of the table: counts from the batch's data and the kernels' loops (see the notes).</summary>
    private static (List<Row> Rows, string Nonzero) Count()
    {
        RooflineState s = RooflineState.Create();
        s.Net.Dispose();
        double nx = RooflineState.Nonzero(s.X), ny1 = RooflineState.Nonzero(s.Y1), ny2 = RooflineState.Nonzero(s.Y2);
        const double f = sizeof(float);
        var rows = new List<Row>
        {
            // Per row: a branch-free scan of the 784 inputs listing the nonzero ones, then per nonzero input one Vector256 load of
            // 8 weights per 8 multiply-adds (128 outputs in 16 registers of sums), the weight row read from the 401 KB matrix.
            new("Fc1Forward", "fc1 forward", (double)R * In * H1, nx * H1, nx * H1 * f + R * In * f + 2.0 * R * H1 * f, L2Read,
                "weights of nonzero inputs; x scanned; bias, y"),
            new("Fc2Forward", "fc2 forward", (double)R * H1 * H2, ny1 * H2, ny1 * H2 * f + R * H1 * f + 2.0 * R * H2 * f, L1Read,
                "weights of nonzero inputs (32 KB matrix); x; bias, y"),
            // 10 outputs: one Vector256 of 8 plus 2 scalar sums per nonzero input.
            new("Fc3Forward", "fc3 forward", (double)R * H2 * Out, ny2 * Out, ny2 * Out * f + R * H2 * f + 2.0 * R * Out * f, L1Read,
                "weights of nonzero inputs (1 Vector256 + 2 scalars); x; bias, y"),
            new("Loss", "loss (softmax cross-entropy)", 0, 0, 2.0 * R * Out * f + R * sizeof(int), L1Read, "320 exp, 32 log"),
            // Per input i: a strided scan of the 32 rows listing those with x[r, i] != 0 (and zeroing dx[r, i]); per listed row
            // the dW sums (x[r, i] dz[r, :]) and dx[r, i] = w[i, :] . dz[r, :] (a horizontal sum each): dz's row loaded twice.
            new("Fc3Backward", "fc3 backward (dx + dW fused)", 2.0 * R * H2 * Out, 2 * ny2 * Out,
                2 * ny2 * Out * f + R * H2 * f + 2.0 * R * H2 * f + 2.0 * H2 * Out * f, L1Read, "dz rows twice per nonzero x; x; dx; W, dW"),
            new("Fc2Backward", "fc2 backward (dx + dW fused)", 2.0 * R * H1 * H2, 2 * ny1 * H2,
                2 * ny1 * H2 * f + R * H1 * f + 2.0 * R * H1 * f + 2.0 * H1 * H2 * f, L1Read, "dz rows twice per nonzero x; x; dx; W, dW"),
            // Per input i (784): a strided scan of the 32 rows' x[r, i]; per nonzero one dz row (16 KB, in L1) loaded; the dW row
            // stored whole (zeros too), 401 KB in all.
            new("Fc1WeightGradient", "fc1 weight gradient", (double)R * In * H1, nx * H1, nx * H1 * f + R * In * f + (double)In * H1 * f + R * H1 * f,
                L2ReadWrite, "dz rows per nonzero x; x; dW stored (401 KB)"),
            // Adam.Update: loads p, g, m, v and stores p, m, v: 28 bytes a parameter; per Vector256 also a sqrt and a division.
            new("Adam", "Adam (109,386 parameters)", 0, 0, 7.0 * MnistNet.ParameterCount * f, L3ReadWrite, "p, g, m, v read; p, m, v written"),
        };
        // Not part of the step: Adam's arithmetic on as many values of one tensor that stays in L1 (RooflineKernelBenchmarks.AdamInL1).
        var adamInL1 = new Row("AdamInL1", "(Adam on an L1-resident tensor, same count)", 0, 0,
            7.0 * RooflineState.L1Tensors * RooflineState.L1TensorSize * f, L1ReadWrite, "107 x 1,024 values, 16 KB in all");
        double stepMacs = rows.Sum(r => r.Macs), stepDense = rows.Sum(r => r.DenseMacs), stepBytes = rows.Sum(r => r.Bytes);
        rows.Add(new("TrainStep", "TrainStep (whole)", stepDense, stepMacs, stepBytes, L2ReadWrite, "the rows above"));
        rows.Add(adamInL1);

        // Inference: the forward kernels over the test set in Forward's chunks of 64 rows, counting the nonzero inputs of each layer.
        (double tx, double t1, double t2) = InferenceNonzero(s, 0, s.TestRows);
        (double px, double p1, double p2) = InferenceNonzero(s, 0, RooflineState.PredictImages);
        double Macs(double x, double y1, double y2) => x * H1 + y1 * H2 + y2 * Out;
        double Bytes(double x, double y1, double y2, int n) => Macs(x, y1, y2) * f + n * (In + 2.0 * H1 + 2.0 * H2 + Out) * f;
        const double denseRow = (double)In * H1 + (double)H1 * H2 + (double)H2 * Out;
        rows.Add(new("ForwardTestSet", "Forward, 10,000 test images", s.TestRows * denseRow, Macs(tx, t1, t2), Bytes(tx, t1, t2, s.TestRows), L2Read,
            "weights of nonzero inputs; 31 MB of inputs; activations"));
        int pn = RooflineState.PredictImages;
        rows.Add(new("Predict", "Predict, one image", denseRow, Macs(px, p1, p2) / pn, Bytes(px, p1, p2, pn) / pn, L2Read,
            $"mean over the {pn} images cycled"));

        // For a 4-row register block: pixels nonzero in at least one of 4 consecutive rows (what such a block would multiply).
        double union4 = 0;
        for (int r0 = 0; r0 < R; r0 += 4)
        {
            for (int i = 0; i < In; i++)
            {
                bool any = false;
                for (int r = r0; r < r0 + 4; r++) any |= s.X[r * In + i] != 0f;
                union4 += any ? 1 : 0;
            }
        }
        string nonzero = string.Create(CultureInfo.InvariantCulture,
            $"Training batch (32 images, network trained {RooflineState.TrainedSteps} steps): nonzero pixels {nx / (R * In):P1}, " +
            $"nonzero fc1 outputs (fc2's input) {ny1 / (R * H1):P1}, nonzero fc2 outputs (fc3's input) {ny2 / (R * H2):P1}; " +
            $"pixels nonzero in any of 4 consecutive rows {union4 / (R / 4 * In):P1} ({union4 * 4 / nx:F2}x fc1's multiply-adds in 4-row blocks).\n" +
            $"Test set (10,000 images): nonzero pixels {tx / (s.TestRows * (double)In):P1}, fc1 outputs {t1 / (s.TestRows * (double)H1):P1}, " +
            $"fc2 outputs {t2 / (s.TestRows * (double)H2):P1}. Step: {N(stepMacs)} multiply-adds done of {N(stepDense)} dense, {N(stepBytes)} bytes.");
        return (rows, nonzero);
    }

    /// <summary>Nonzero inputs of fc1, fc2 and fc3 over test rows [first, first + count), through the generated forward kernels.</summary>
    private static (double X, double Y1, double Y2) InferenceNonzero(RooflineState s, int first, int count)
    {
        const int chunk = 64;
        float[] y1 = new float[chunk * H1], y2 = new float[chunk * H2], y3 = new float[chunk * Out];
        double x = 0, a = 0, b = 0;
        float[] w1 = s.Net.Parameters[0].Values, b1 = s.Net.Parameters[1].Values, w2 = s.Net.Parameters[2].Values;
        float[] b2 = s.Net.Parameters[3].Values, w3 = s.Net.Parameters[4].Values, b3 = s.Net.Parameters[5].Values;
        for (int start = first; start < first + count; start += chunk)
        {
            int n = Math.Min(chunk, first + count - start);
            ReadOnlySpan<float> xs = s.TestInputs.AsSpan(start * In, n * In);
            Core.Fc1Forward(xs, w1, b1, y1, n);
            Core.Fc2Forward(y1, w2, b2, y2, n);
            Core.Fc3Forward(y2, w3, b3, y3, n);
            x += RooflineState.Nonzero(xs);
            a += RooflineState.Nonzero(y1.AsSpan(0, n * H1));
            b += RooflineState.Nonzero(y2.AsSpan(0, n * H2));
        }
        return (x, a, b);
    }

    /// <summary>Mean time in ns of every benchmark in the JSON reports of a folder, by "Class.Method" or "Class.Method(KB=..)".</summary>
    private static Dictionary<string, double> ReadMeans(string directory)
    {
        var means = new Dictionary<string, double>();
        foreach (string file in Directory.GetFiles(directory, "*.json"))
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(file));
            foreach (JsonElement b in document.RootElement.GetProperty("Benchmarks").EnumerateArray())
            {
                if (!b.TryGetProperty("Statistics", out JsonElement statistics) || statistics.ValueKind != JsonValueKind.Object) continue;
                string parameters = b.TryGetProperty("Parameters", out JsonElement p) ? p.GetString() ?? "" : "";
                string key = b.GetProperty("Type").GetString() + "." + b.GetProperty("Method").GetString() + (parameters.Length > 0 ? $"({parameters})" : "");
                means[key] = statistics.GetProperty("Mean").GetDouble();
            }
        }
        return means;
    }

    private static double Bandwidth(Dictionary<string, double> means, int kb, string method) =>
        means.TryGetValue($"RooflineBandwidthBenchmarks.{method}(KB={kb})", out double ns)
            ? kb * 1024.0 * (method == "Scale" ? 2 : 1) / ns
            : double.NaN;

    private static string N(double v) => v.ToString("N0", CultureInfo.InvariantCulture);
    private static string F(double v) => double.IsNaN(v) ? "-" : v.ToString("F1", CultureInfo.InvariantCulture);
    private static string P(double v) => double.IsNaN(v) ? "-" : v.ToString("P0", CultureInfo.InvariantCulture).Replace(" ", "", StringComparison.Ordinal);

    private static string Time(double ns) => ns switch
    {
        >= 1e6 => (ns / 1e6).ToString("F2", CultureInfo.InvariantCulture) + " ms",
        >= 1e3 => (ns / 1e3).ToString("F2", CultureInfo.InvariantCulture) + " us",
        _ => ns.ToString("F0", CultureInfo.InvariantCulture) + " ns",
    };
}
