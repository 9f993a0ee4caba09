using System;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>
/// The kernels of a pooling layer, <c>Pool1Forward</c> and <c>Pool1Backward</c>: each output value from its window of one
/// channel, in the layout the rows have (channels last: a pixel's channels side by side; else PyTorch's channel, row, column).
/// </summary>
internal static class PoolKernels
{
    public static void Emit(SourceWriter w, Pool2dPlan p)
    {
        bool max = p.Kind == PoolKind.Max;
        string layout = p.ChannelsLast ? "(row, column, channel)" : "(channel, row, column)";
        string xDims = p.ChannelsLast ? $"{p.Input.Height}, {p.Input.Width}, {p.Input.Channels}" : $"{p.Input.Channels}, {p.Input.Height}, {p.Input.Width}";
        string yDims = p.ChannelsLast ? $"{p.Output.Height}, {p.Output.Width}, {p.Output.Channels}" : $"{p.Output.Channels}, {p.Output.Height}, {p.Output.Width}";
        w.Line(max
            ? $"/// <summary>{p.Name} forward: y = the largest value of each {p.Size} window of a channel (the first on ties; NaN wins, as in PyTorch).</summary>"
            : $"/// <summary>{p.Name} forward: y = the mean of each {p.Size} window of a channel.</summary>");
        w.Line($"// x: [rows, {xDims}] {layout}, y: [rows, {yDims}]{(max ? ", argmax: empty, or like y: the index in x's row of the value each y took" : "")}");
        w.Open($"private static void {p.Pascal}Forward(ReadOnlySpan<float> x, Span<float> y{(max ? ", Span<int> argmax" : "")}, int rows)");
        if (max) w.Line("bool keep = !argmax.IsEmpty;");
        w.Open("for (int r = 0; r < rows; r++)");
        w.Line($"ReadOnlySpan<float> xr = x.Slice(r * {p.In}, {p.In});");
        w.Line($"Span<float> yr = y.Slice(r * {p.Out}, {p.Out});");
        if (max) w.Line($"Span<int> ar = keep ? argmax.Slice(r * {p.Out}, {p.Out}) : default;");
        EmitWindows(w, p, () =>
        {
            if (max)
            {
                w.Line("int best = At(0, 0);");
                w.Line("float m = xr[best];");
                EmitWindow(w, p, () =>
                {
                    w.Line("int i = At(kh, kw);");
                    w.Line("float v = xr[i];");
                    w.Open("if (v > m || float.IsNaN(v))");
                    w.Line("m = v;");
                    w.Line("best = i;");
                    w.Close();
                });
                w.Line("yr[o] = m;");
                w.Line("if (keep) ar[o] = best;");
            }
            else
            {
                w.Line("float s = 0f;");
                EmitWindow(w, p, () => w.Line("s += xr[At(kh, kw)];"));
                w.Line($"yr[o] = s / ({p.KH} * {p.KW}); // PyTorch divides the sum");
            }
        });
        w.Close();
        w.Close();
        w.Line();
        if (!p.Flow.NeedsInputGradient) return;
        if (max)
        {
            w.Line($"/// <summary>{p.Name} backward: each dy goes to the input its output took; the other inputs get 0.</summary>");
            w.Line($"// dy, argmax: [rows, {yDims}], dx: [rows, {xDims}] {layout}");
            w.Open($"private static void {p.Pascal}Backward(ReadOnlySpan<float> dy, ReadOnlySpan<int> argmax, Span<float> dx, int rows)");
            w.Line($"dx.Slice(0, rows * {p.In}).Clear();");
            w.Open("for (int r = 0; r < rows; r++)");
            w.Line($"ReadOnlySpan<float> dyr = dy.Slice(r * {p.Out}, {p.Out});");
            w.Line($"ReadOnlySpan<int> ar = argmax.Slice(r * {p.Out}, {p.Out});");
            w.Line($"Span<float> dxr = dx.Slice(r * {p.In}, {p.In});");
            w.Line($"for (int o = 0; o < {p.Out}; o++) dxr[ar[o]] += dyr[o]; // += : windows may overlap");
            w.Close();
            w.Close();
        }
        else
        {
            w.Line($"/// <summary>{p.Name} backward: each dy is shared evenly by the inputs of its window.</summary>");
            w.Line($"// dy: [rows, {yDims}], dx: [rows, {xDims}] {layout}");
            w.Open($"private static void {p.Pascal}Backward(ReadOnlySpan<float> dy, Span<float> dx, int rows)");
            w.Line($"dx.Slice(0, rows * {p.In}).Clear();");
            w.Open("for (int r = 0; r < rows; r++)");
            w.Line($"ReadOnlySpan<float> dyr = dy.Slice(r * {p.Out}, {p.Out});");
            w.Line($"Span<float> dxr = dx.Slice(r * {p.In}, {p.In});");
            EmitWindows(w, p, () =>
            {
                w.Line($"float g = dyr[o] / ({p.KH} * {p.KW});");
                EmitWindow(w, p, () => w.Line("dxr[At(kh, kw)] += g; // += : windows may overlap"));
            });
            w.Close();
            w.Close();
        }
        w.Line();
    }

    /// <summary>
    /// The output values, in their order in the row (<c>o</c>), with a local function <c>At(kh, kw)</c> giving the index in x's
    /// row of the window's value at (kh, kw) for the current channel.
    /// </summary>
    private static void EmitWindows(SourceWriter w, Pool2dPlan p, Action body)
    {
        if (p.ChannelsLast)
        {
            w.Open($"for (int oh = 0; oh < {p.OutH}; oh++)");
            w.Open($"for (int ow = 0; ow < {p.OutW}; ow++)");
            w.Open($"for (int c = 0; c < {p.C}; c++)");
            w.Line($"int o = (oh * {p.OutW} + ow) * {p.C} + c;");
            w.Line($"int At(int kh, int kw) => ((oh * {p.SH} + kh) * {p.InW} + ow * {p.SW} + kw) * {p.C} + c;");
        }
        else
        {
            w.Open($"for (int c = 0; c < {p.C}; c++)");
            w.Open($"for (int oh = 0; oh < {p.OutH}; oh++)");
            w.Open($"for (int ow = 0; ow < {p.OutW}; ow++)");
            w.Line($"int o = (c * {p.OutH} + oh) * {p.OutW} + ow;");
            w.Line($"int At(int kh, int kw) => (c * {p.InH} + oh * {p.SH} + kh) * {p.InW} + ow * {p.SW} + kw;");
        }
        body();
        w.Close();
        w.Close();
        w.Close();
    }

    private static void EmitWindow(SourceWriter w, Pool2dPlan p, Action body)
    {
        w.Open($"for (int kh = 0; kh < {p.KH}; kh++)");
        w.Open($"for (int kw = 0; kw < {p.KW}; kw++)");
        body();
        w.Close();
        w.Close();
    }
}
