using System;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>
/// The kernels of a pooling layer, <c>Pool1Forward</c> and <c>Pool1Backward</c>: each output value from its window of one
/// channel, in the layout the rows have (channels last: a pixel's channels side by side; else PyTorch's channel, row, column).
/// Channels last, a window's pixels are compared or summed eight channels at a time (Vector256); a max-pool keeps, per output
/// value, its window position (kh * KW + kw) that won. When the windows tile the image (stride = size), the backward pass
/// writes every input's gradient once (the winner's dy, 0 for the others) instead of clearing and adding.
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
        w.Line($"// x: [rows, {xDims}] {layout}, y: [rows, {yDims}]{(max ? ", argmax: empty, or like y: the window position (kh * KW + kw) of the value each y took" : "")}");
        w.Open($"internal static void {p.Pascal}Forward(ReadOnlySpan<float> x, Span<float> y{(max ? ", Span<int> argmax" : "")}, int rows)");
        if (max) w.Line("bool keep = !argmax.IsEmpty;");
        w.Open("for (int r = 0; r < rows; r++)");
        w.Line($"ref float x0 = ref MemoryMarshal.GetReference(x.Slice(r * {p.In}, {p.In}));");
        w.Line($"ref float y0 = ref MemoryMarshal.GetReference(y.Slice(r * {p.Out}, {p.Out}));");
        if (max) w.Line($"ref int a0 = ref keep ? ref MemoryMarshal.GetReference(argmax.Slice(r * {p.Out}, {p.Out})) : ref Unsafe.NullRef<int>();");
        EmitWindows(w, p, vector =>
        {
            if (vector)
            {
                if (max)
                {
                    w.Line("var m = Vector256.LoadUnsafe(ref x0, (nuint)At(0, 0));");
                    w.Line("var won = Vector256<int>.Zero;");
                    EmitWindow(w, p, first: false, () =>
                    {
                        w.Line("var v = Vector256.LoadUnsafe(ref x0, (nuint)At(kh, kw));");
                        w.Line("var greater = Vector256.GreaterThan(v, m) | ~Vector256.Equals(v, v); // larger, or NaN");
                        w.Line("m = Vector256.ConditionalSelect(greater, v, m);");
                        w.Line($"won = Vector256.ConditionalSelect(greater.AsInt32(), Vector256.Create(kh * {p.KW} + kw), won);");
                    });
                    w.Line("Vector256.StoreUnsafe(m, ref y0, (nuint)o);");
                    w.Line("if (keep) Vector256.StoreUnsafe(won, ref a0, (nuint)o);");
                }
                else
                {
                    w.Line("var s = Vector256.LoadUnsafe(ref x0, (nuint)At(0, 0));");
                    EmitWindow(w, p, first: false, () => w.Line("s += Vector256.LoadUnsafe(ref x0, (nuint)At(kh, kw));"));
                    w.Line($"Vector256.StoreUnsafe(s / ({p.KH} * {p.KW}), ref y0, (nuint)o); // PyTorch divides the sum");
                }
                return;
            }
            if (max)
            {
                w.Line("int won = 0;");
                w.Line("float m = Unsafe.Add(ref x0, At(0, 0));");
                EmitWindow(w, p, first: false, () =>
                {
                    w.Line("float v = Unsafe.Add(ref x0, At(kh, kw));");
                    w.Open("if (v > m || float.IsNaN(v))");
                    w.Line("m = v;");
                    w.Line($"won = kh * {p.KW} + kw;");
                    w.Close();
                });
                w.Line("Unsafe.Add(ref y0, o) = m;");
                w.Line("if (keep) Unsafe.Add(ref a0, o) = won;");
            }
            else
            {
                w.Line("float s = Unsafe.Add(ref x0, At(0, 0));");
                EmitWindow(w, p, first: false, () => w.Line("s += Unsafe.Add(ref x0, At(kh, kw));"));
                w.Line($"Unsafe.Add(ref y0, o) = s / ({p.KH} * {p.KW}); // PyTorch divides the sum");
            }
        });
        w.Close();
        w.Close();
        w.Line();
        if (!p.Flow.NeedsInputGradient) return;
        // Windows that tile the image: every input lies in one window at most, so its gradient is written once.
        bool tiles = p.Stride.Height == p.Size.Height && p.Stride.Width == p.Size.Width;
        bool covers = tiles && p.Input.Height % p.Size.Height == 0 && p.Input.Width % p.Size.Width == 0;
        string argmax = max ? ", ReadOnlySpan<int> argmax" : "";
        w.Line(max
            ? $"/// <summary>{p.Name} backward: each dy goes to the input its output took; the other inputs get 0.</summary>"
            : $"/// <summary>{p.Name} backward: each dy is shared evenly by the inputs of its window.</summary>");
        w.Line($"// dy{(max ? ", argmax" : "")}: [rows, {yDims}], dx: [rows, {xDims}] {layout}");
        w.Open($"internal static void {p.Pascal}Backward(ReadOnlySpan<float> dy{argmax}, Span<float> dx, int rows)");
        if (!covers)
            w.Line(tiles ? $"dx.Slice(0, rows * {p.In}).Clear(); // the rows and columns no window covers" : $"dx.Slice(0, rows * {p.In}).Clear(); // windows overlap: their shares add up");
        w.Open("for (int r = 0; r < rows; r++)");
        w.Line($"ref float g0 = ref MemoryMarshal.GetReference(dy.Slice(r * {p.Out}, {p.Out}));");
        if (max) w.Line($"ref int a0 = ref MemoryMarshal.GetReference(argmax.Slice(r * {p.Out}, {p.Out}));");
        w.Line($"ref float dx0 = ref MemoryMarshal.GetReference(dx.Slice(r * {p.In}, {p.In}));");
        string op = tiles ? "=" : "+=";
        EmitWindows(w, p, vector =>
        {
            if (vector)
            {
                w.Line(max ? "var g = Vector256.LoadUnsafe(ref g0, (nuint)o);" : $"var g = Vector256.LoadUnsafe(ref g0, (nuint)o) / ({p.KH} * {p.KW});");
                if (max) w.Line("var won = Vector256.LoadUnsafe(ref a0, (nuint)o);");
                EmitWindow(w, p, first: true, () =>
                {
                    string value = max ? $"Vector256.ConditionalSelect(Vector256.Equals(won, Vector256.Create(kh * {p.KW} + kw)).AsSingle(), g, Vector256<float>.Zero)" : "g";
                    w.Line(tiles
                        ? $"Vector256.StoreUnsafe({value}, ref dx0, (nuint)At(kh, kw));"
                        : $"Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref dx0, (nuint)At(kh, kw)) + {value}, ref dx0, (nuint)At(kh, kw)); // windows overlap");
                });
                return;
            }
            if (max)
            {
                w.Line("int won = Unsafe.Add(ref a0, o);");
                w.Line("float g = Unsafe.Add(ref g0, o);");
                if (tiles)
                {
                    EmitWindow(w, p, first: true, () => w.Line($"Unsafe.Add(ref dx0, At(kh, kw)) = kh * {p.KW} + kw == won ? g : 0f;"));
                }
                else
                {
                    w.Line($"Unsafe.Add(ref dx0, At(won / {p.KW}, won % {p.KW})) += g; // windows overlap");
                }
            }
            else
            {
                w.Line($"float g = Unsafe.Add(ref g0, o) / ({p.KH} * {p.KW});");
                EmitWindow(w, p, first: true, () => w.Line($"Unsafe.Add(ref dx0, At(kh, kw)) {op} g;"));
            }
        });
        w.Close();
        w.Close();
        w.Line();
    }

    /// <summary>
    /// The output values, in their order in the row (<c>o</c>), with a local function <c>At(kh, kw)</c> giving the index in x's
    /// row of the window's value at (kh, kw); channels last, eight channels at a time (the body gets true) and then one at a
    /// time, else one channel plane after another (the body gets false).
    /// </summary>
    private static void EmitWindows(SourceWriter w, Pool2dPlan p, Action<bool> body)
    {
        if (p.ChannelsLast)
        {
            int vectorized = p.Input.Channels / BlockedSums.Lanes * BlockedSums.Lanes;
            w.Open($"for (int oh = 0; oh < {p.OutH}; oh++)");
            w.Open($"for (int ow = 0; ow < {p.OutW}; ow++)");
            w.Line($"int first = ((oh * {p.SH}) * {p.InW} + ow * {p.SW}) * {p.C}; // the window's top left, channel 0");
            if (vectorized > 0)
            {
                w.Open("if (Vector256.IsHardwareAccelerated)");
                w.Open($"for (int c = 0; c < {vectorized}; c += {BlockedSums.Lanes})");
                w.Line($"int o = (oh * {p.OutW} + ow) * {p.C} + c;");
                w.Line($"int At(int kh, int kw) => first + (kh * {p.InW} + kw) * {p.C} + c;");
                body(true);
                w.Close();
                w.Close();
            }
            string start = vectorized > 0 ? $"Vector256.IsHardwareAccelerated ? {vectorized} : 0" : "0";
            w.Open($"for (int c = {start}; c < {p.C}; c++)");
            w.Line($"int o = (oh * {p.OutW} + ow) * {p.C} + c;");
            w.Line($"int At(int kh, int kw) => first + (kh * {p.InW} + kw) * {p.C} + c;");
            body(false);
            w.Close();
            w.Close();
            w.Close();
        }
        else
        {
            w.Open($"for (int c = 0; c < {p.C}; c++)");
            w.Open($"for (int oh = 0; oh < {p.OutH}; oh++)");
            w.Open($"for (int ow = 0; ow < {p.OutW}; ow++)");
            w.Line($"int o = (c * {p.OutH} + oh) * {p.OutW} + ow;");
            w.Line($"int At(int kh, int kw) => (c * {p.InH} + oh * {p.SH} + kh) * {p.InW} + ow * {p.SW} + kw;");
            body(false);
            w.Close();
            w.Close();
            w.Close();
        }
    }

    /// <summary>The window's positions in row-major order (kh, kw); without <paramref name="first"/>, all but (0, 0).</summary>
    private static void EmitWindow(SourceWriter w, Pool2dPlan p, bool first, Action body)
    {
        w.Open($"for (int kh = 0; kh < {p.KH}; kh++)");
        w.Open($"for (int kw = {(first ? "0" : "kh == 0 ? 1 : 0")}; kw < {p.KW}; kw++)");
        body();
        w.Close();
        w.Close();
    }
}
