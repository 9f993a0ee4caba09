using System;
using System.Linq;
using NetGen.Generator.Emit;
using NetGen.Generator.Language;

namespace NetGen.Generator.Layers;

/// <summary>
/// The kernels of a conv2d layer, <c>Conv1Forward</c> and <c>Conv1Backward</c>: direct convolution over images stored channels
/// last (row, column, channel), specialized to the layer's constant sizes. Each input pixel's nonzero channels are listed once
/// per image (<c>Images.ListNonzero</c>), so blank pixels, padding and ReLU zeros cost nothing. The weight is stored
/// <c>[kh, kw, in, out]</c>: every listed input value multiplies a contiguous row of the output channels' weights, summed in
/// registers a block of output channels at a time (as the dense kernels do), or scattered into the weight gradient with the
/// pixel's output gradient held in registers. The input gradient goes the other way: each nonzero output gradient adds its
/// filter (a transposed copy of the weight, <c>[out, kh, kw, in]</c>, made once per batch) to the input rows under it.
/// </summary>
internal static class ConvKernels
{
    public static void EmitForward(SourceWriter w, Conv2dPlan p)
    {
        bool keepZ = p.PreActivation is not null;
        bool fused = p.Activation is Activation.Relu or Activation.LeakyRelu or Activation.Identity;
        string conv = p.HasBias ? "conv(x, W) + b" : "conv(x, W)";
        w.Line($"/// <summary>{p.Name} forward: y = {ActivationCode.Formula(p.Activation, p.Alpha, conv)}, pixel by pixel; each nonzero input value under the kernel adds its weight row.</summary>");
        w.Line($"// x: {ImageText(p.Input, p.InputLayout)}, w: [{p.Kernel.Height}, {p.Kernel.Width}, {p.Input.Channels}, {p.Output.Channels}] (kh, kw, in, out)"
            + $"{(p.HasBias ? $", b: [{p.Output.Channels}]" : "")}, y: {ImageText(p.Output, RowLayout.ChannelsLast)}"
            + (keepZ ? $", z: empty, or like y to keep the pre-activations for training" : ""));
        w.Line("// channel, value, count: each input pixel's nonzero channels and their values, listed per row and kept for the weight gradient;"
            + " or empty (Forward), listed one row at a time");
        string parameters = $"ReadOnlySpan<float> x, float[] w{(p.HasBias ? ", float[] b" : "")}, Span<float> y{(keepZ ? ", Span<float> z" : "")}, "
            + "Span<int> channel, Span<float> value, Span<int> count, int rows";
        w.Open($"internal static void {p.Pascal}Forward({parameters})");
        w.Line("ref float w0 = ref MemoryMarshal.GetArrayDataReference(w);");
        if (p.HasBias) w.Line("ref float b0 = ref MemoryMarshal.GetArrayDataReference(b);");
        EmitListScratch(w, p);
        BlockedSums.Blocks blocks = new(p.Output.Channels, p.OutC);
        blocks.EmitConstants(w);
        w.Open("for (int r = 0; r < rows; r++)");
        EmitListRow(w, p);
        w.Line($"ref float y0 = ref MemoryMarshal.GetReference(y.Slice(r * {p.Out}, {p.Out}));");
        EmitPixelLoops(w, p, () =>
        {
            w.Line($"ref float yp = ref Unsafe.Add(ref y0, (oh * {p.OutW} + ow) * {p.OutC});");
            w.Open("if (Vector256.IsHardwareAccelerated) // register-blocked Vector256 (or Vector512) sums; portable Vector<float> rows otherwise");
            blocks.EachWidth(w, block =>
            {
                var vectors = block.Vectors;
                foreach (var v in vectors)
                    w.Line(p.HasBias ? $"var a{v.Index} = {v.LoadAt("b0", block.Start)};" : $"var a{v.Index} = {v.Zero};");
                // Few outputs: a second set of sums for every other listed value, so two chains of multiply-adds run at once.
                // (Decided by the block's outputs, not its vectors, so both widths sum in the same order.)
                bool pairs = p.Input.Channels > 1 && block.Outputs <= BlockedSums.BlockOutputs / 2;
                if (pairs)
                {
                    foreach (var v in vectors) w.Line($"var e{v.Index} = {v.Zero};");
                }
                Action<string, string> sum(string set, string xv) => (value, row) =>
                {
                    w.Line($"var {xv} = {block.Widest}.Create({value});");
                    foreach (var v in vectors)
                        w.Line($"{set}{v.Index} = {v.Type}.MultiplyAddEstimate({block.Broadcast(xv, v)}, {v.Load(row)}, {set}{v.Index});");
                };
                EmitTaps(w, p, block.Start, sum("a", "xv"), second: pairs ? sum("e", "xv2") : null);
                if (pairs)
                {
                    foreach (var v in vectors) w.Line($"a{v.Index} += e{v.Index};");
                }
                foreach (var v in vectors)
                {
                    string a = $"a{v.Index}";
                    string stored = !fused ? a : p.Activation switch
                    {
                        Activation.Relu => $"{v.Type}.Max({a}, {v.Zero})",
                        Activation.LeakyRelu => $"{v.Type}.ConditionalSelect({v.Type}.GreaterThan({a}, {v.Zero}), {a}, {a} * {p.AlphaConstant})",
                        _ => a,
                    };
                    w.Line(v.StoreAt(stored, "yp", block.Start));
                }
            });
            if (blocks.HasTail)
            {
                w.Open($"for (int o = vectorized; o < {p.OutC}; o++)");
                w.Line(p.HasBias ? "float s = Unsafe.Add(ref b0, o);" : "float s = 0f;");
                EmitTaps(w, p, "o", (value, row) => w.Line($"s += {value} * {row};"), scalar: true);
                w.Line(!fused ? "Unsafe.Add(ref yp, o) = s;" : p.Activation switch
                {
                    Activation.Relu => "Unsafe.Add(ref yp, o) = MathF.Max(s, 0f);",
                    Activation.LeakyRelu => $"Unsafe.Add(ref yp, o) = s > 0f ? s : s * {p.AlphaConstant};",
                    _ => "Unsafe.Add(ref yp, o) = s;",
                });
                w.Close();
            }
            w.Close();
            w.Open("else");
            w.Line($"Span<float> yPixel = MemoryMarshal.CreateSpan(ref yp, {p.OutC});");
            w.Line(p.HasBias ? "b.CopyTo(yPixel);" : "yPixel.Clear();");
            EmitTaps(w, p, "0", (value, row) =>
            {
                w.Line($"var xv = new Vector<float>({value});");
                Loops.EmitMultiplyAdd(w, "xv", value, row, "yp", p.OutC);
            });
            w.Close();
        });
        if (keepZ) w.Line($"if (!z.IsEmpty) MemoryMarshal.CreateReadOnlySpan(ref y0, {p.Out}).CopyTo(z.Slice(r * {p.Out}, {p.Out}));");
        if (!fused)
        {
            ActivationCode.EmitInPlace(w, p.Activation, p.AlphaConstant, p.Out);
        }
        else if (p.Activation != Activation.Identity)
        {
            w.Open("if (!Vector256.IsHardwareAccelerated)");
            ActivationCode.EmitInPlace(w, p.Activation, p.AlphaConstant, p.Out);
            w.Close();
        }
        w.Close();
        EmitReturnScratch(w, p);
        w.Close();
        w.Line();
    }

    public static void EmitInputGradient(SourceWriter w, Conv2dPlan p)
    {
        bool mask = p.MaskInputGradient;
        w.Line($"/// <summary>{p.Name} input gradient: writes dx{(mask ? " (0 where x is 0: relu'(x))" : "")} from dz, row by row.</summary>");
        w.Line($"// dz: {ImageText(p.Output, RowLayout.ChannelsLast)} (dLoss/d(pre-activation)), "
            + $"wt: W as [{p.Output.Channels}, {p.Kernel.Height}, {p.Kernel.Width}, {p.Input.Channels}] (out, kh, kw, in), dx: {ImageText(p.Input, RowLayout.ChannelsLast)}"
            + (mask ? ", x: like dx (a ReLU's outputs)" : ""));
        string parameters = (mask ? "ReadOnlySpan<float> x, " : "") + "ReadOnlySpan<float> dz, float[] wt, Span<float> dx, int rows";
        w.Open($"internal static void {p.Pascal}InputGradient({parameters})");
        w.Line("ref float wt0 = ref MemoryMarshal.GetArrayDataReference(wt);");
        w.Line($"dx.Slice(0, rows * {p.In}).Clear();");
        w.Line($"Span<int> outputs = stackalloc int[{p.OutC}]; // a pixel's output channels with a nonzero gradient");
        w.Line("ref int outputs0 = ref MemoryMarshal.GetReference(outputs);");
        w.Open("for (int r = 0; r < rows; r++)");
        w.Line($"ref float dz0 = ref MemoryMarshal.GetReference(dz.Slice(r * {p.Out}, {p.Out}));");
        w.Line($"ref float dx0 = ref MemoryMarshal.GetReference(dx.Slice(r * {p.In}, {p.In}));");
        EmitPixelLoops(w, p, () =>
        {
            w.Line($"ref float gp = ref Unsafe.Add(ref dz0, (oh * {p.OutW} + ow) * {p.OutC});");
            EmitInputGradientPixel(w, p);
        });
        if (mask)
        {
            w.Line("// relu'(x) = 0 where the input is 0");
            w.Line($"ref float xm = ref MemoryMarshal.GetReference(x.Slice(r * {p.In}, {p.In}));");
            w.Line("int m = 0;");
            w.Open(Loops.Vector("m", p.In));
            w.Line("var zero = Vector.Equals(Vector.LoadUnsafe(ref xm, (nuint)m), Vector<float>.Zero);");
            w.Line("Vector.StoreUnsafe(Vector.ConditionalSelect(zero, Vector<float>.Zero, Vector.LoadUnsafe(ref dx0, (nuint)m)), ref dx0, (nuint)m);");
            w.Close();
            w.Line($"for (; m < {p.In}; m++) if (Unsafe.Add(ref xm, m) == 0f) Unsafe.Add(ref dx0, m) = 0f;");
        }
        w.Close();
        w.Close();
        w.Line();
    }

    public static void EmitWeightGradient(SourceWriter w, Conv2dPlan p)
    {
        bool bias = p.HasBias;
        w.Line($"/// <summary>{p.Name} weight gradient: dW[kh, kw, c, :] = sum over the rows and output pixels of x[under (kh, kw), c] dz[pixel, :], "
            + $"for share <paramref name=\"shard\"/> of the kernel positions (kh, kw){(bias ? ", and db = the sum of dz over the rows and pixels for its share of the outputs" : "")}.</summary>");
        w.Line($"// dz: {ImageText(p.Output, RowLayout.ChannelsLast)} (dLoss/d(pre-activation)); channel, value, count: the input's nonzero values as the forward pass listed them; "
            + $"dw: [{p.Kernel.Height}, {p.Kernel.Width}, {p.Input.Channels}, {p.Output.Channels}]{(bias ? $", db: [{p.Output.Channels}]" : "")}");
        string parameters = "ReadOnlySpan<float> dz, ReadOnlySpan<int> channel, ReadOnlySpan<float> value, ReadOnlySpan<int> count, float[] dw"
            + (bias ? ", float[] db" : "") + ", int rows, int shard, int shards";
        w.Open($"internal static void {p.Pascal}WeightGradient({parameters})");
        w.Line("ref float dw0 = ref MemoryMarshal.GetArrayDataReference(dw);");
        w.Line($"var (firstPosition, endPosition) = Shards.Range({p.KH} * {p.KW}, shard, shards); // this share's kernel positions kh * {p.KW} + kw");
        w.Line($"dw.AsSpan(firstPosition * {p.InC} * {p.OutC}, (endPosition - firstPosition) * {p.InC} * {p.OutC}).Clear();");
        BlockedSums.Blocks blocks = new(p.Output.Channels, p.OutC);
        blocks.EmitConstants(w);
        w.Open("for (int r = 0; r < rows; r++)");
        w.Line($"ref int channel0 = ref MemoryMarshal.GetReference(channel.Slice(r * {p.In}, {p.In}));");
        w.Line($"ref float value0 = ref MemoryMarshal.GetReference(value.Slice(r * {p.In}, {p.In}));");
        w.Line($"ref int count0 = ref MemoryMarshal.GetReference(count.Slice(r * {p.InH} * {p.InW}, {p.InH} * {p.InW}));");
        w.Line($"ref float dz0 = ref MemoryMarshal.GetReference(dz.Slice(r * {p.Out}, {p.Out}));");
        EmitPixelLoops(w, p, () =>
        {
            w.Line($"ref float gp = ref Unsafe.Add(ref dz0, (oh * {p.OutW} + ow) * {p.OutC});");
            w.Line("// dW[kh, kw, c, :] += x[c] dz[pixel, :] for every nonzero input value under this share's kernel positions");
            w.Open("if (Vector256.IsHardwareAccelerated) // the pixel's gradient held in Vector256 (or Vector512) registers; portable Vector<float> rows otherwise");
            blocks.EachWidth(w, block =>
            {
                foreach (var v in block.Vectors) w.Line($"var g{v.Index} = {v.LoadAt("gp", block.Start)};");
                string any = string.Join(" | ", block.Vectors.Where(v => v.Type == block.Widest).Select(v => "g" + v.Index));
                string anyNarrow = string.Join(" | ", block.Vectors.Where(v => v.Type != block.Widest).Select(v => "g" + v.Index));
                string test = $"!{block.Widest}.EqualsAll({any}, {block.Widest}<float>.Zero)" + (anyNarrow == "" ? "" : $" || !Vector256.EqualsAll({anyNarrow}, Vector256<float>.Zero)");
                w.Open($"if ({test})");
                EmitTaps(w, p, block.Start, (value, row) =>
                {
                    w.Line($"var xv = {block.Widest}.Create({value});");
                    foreach (var v in block.Vectors)
                        w.Line(v.Store($"{v.Type}.MultiplyAddEstimate({block.Broadcast("xv", v)}, g{v.Index}, {v.Load(row)})", row));
                }, target: "dw0", shared: true);
                w.Close();
            });
            if (blocks.HasTail)
            {
                w.Open($"for (int o = vectorized; o < {p.OutC}; o++)");
                w.Line("float g = Unsafe.Add(ref gp, o);");
                w.Line("if (g == 0f) continue;");
                EmitTaps(w, p, "o", (value, row) => w.Line($"{row} += {value} * g;"), scalar: true, target: "dw0", shared: true);
                w.Close();
            }
            w.Close();
            w.Open("else");
            EmitTaps(w, p, "0", (value, row) =>
            {
                w.Line($"var xv = new Vector<float>({value});");
                Loops.EmitMultiplyAdd(w, "xv", value, "gp", row, p.OutC);
            }, target: "dw0", shared: true);
            w.Close();
        });
        w.Close();
        if (bias) DenseKernels.EmitBiasGradient(w, p.OutC, $"rows * {p.OutH} * {p.OutW}");
        w.Close();
        w.Line();
    }

    /// <summary>
    /// dx: for each output channel with a nonzero gradient at the pixel (listed without a branch), its filter times that gradient
    /// is added to the input rows under the kernel, a contiguous run of kernel columns x input channels per kernel row.
    /// </summary>
    private static void EmitInputGradientPixel(SourceWriter w, Conv2dPlan p)
    {
        w.Line("// dx[under the kernel] += dz[pixel, o] W[o] for every output channel o with a nonzero gradient (ReLU zeros send nothing back)");
        w.Line("int listedOutputs = 0;");
        w.Open($"for (int o = 0; o < {p.OutC}; o++)");
        w.Line("Unsafe.Add(ref outputs0, listedOutputs) = o;");
        w.Line("listedOutputs += Unsafe.Add(ref gp, o) != 0f ? 1 : 0;");
        w.Close();
        w.Line($"int run = (kw1 - kw0) * {p.InC}; // the kernel columns inside the image, times the input channels");
        w.Open("for (int k = 0; k < listedOutputs; k++)");
        w.Line("int o = Unsafe.Add(ref outputs0, k);");
        w.Line("float g = Unsafe.Add(ref gp, o);");
        w.Line("var gv = new Vector<float>(g);");
        w.Open("for (int kh = kh0; kh < kh1; kh++)");
        w.Line($"ref float dxs = ref Unsafe.Add(ref dx0, ((top + kh) * {p.InW} + left + kw0) * {p.InC});");
        w.Line($"ref float wts = ref Unsafe.Add(ref wt0, o * {p.Taps} + (kh * {p.KW} + kw0) * {p.InC});");
        Loops.EmitMultiplyAdd(w, "gv", "g", "wts", "dxs", "run", index: "i");
        w.Close();
        w.Close();
    }

    /// <summary>The output pixels, row by row, with the kernel rows (kh0..kh1) and columns (kw0..kw1) that fall inside the image.</summary>
    private static void EmitPixelLoops(SourceWriter w, Conv2dPlan p, Action body)
    {
        w.Open($"for (int oh = 0; oh < {p.OutH}; oh++)");
        w.Line($"int top = oh * {p.SH} - {p.PT}; // the input row under kernel row 0");
        w.Line($"int kh0 = Math.Max(0, -top), kh1 = Math.Min({p.KH}, {p.InH} - top); // the kernel rows inside the image");
        w.Open($"for (int ow = 0; ow < {p.OutW}; ow++)");
        w.Line($"int left = ow * {p.SW} - {p.PL};");
        w.Line($"int kw0 = Math.Max(0, -left), kw1 = Math.Min({p.KW}, {p.InW} - left);");
        body();
        w.Close();
        w.Close();
    }

    /// <summary>
    /// The loop over the listed input values under the kernel: <paramref name="body"/> gets the value and the weight row
    /// (of <paramref name="target"/>, offset by <paramref name="start"/> output channels) it multiplies; with
    /// <paramref name="scalar"/>, the row's one element instead.
    /// </summary>
    /// <param name="second">For two sets of sums: the body for every second listed value, which gets <c>v2</c> and <c>wr2</c>
    /// (two independent chains of multiply-adds keep both FMA units busy where one chain would wait on the last).</param>
    private static void EmitTaps(SourceWriter w, Conv2dPlan p, string start, Action<string, string> body, bool scalar = false, string target = "w0",
        bool shared = false, Action<string, string>? second = null)
    {
        string offset = start == "0" ? "" : $" + {start}";
        w.Open("for (int kh = kh0; kh < kh1; kh++)");
        w.Open("for (int kw = kw0; kw < kw1; kw++)");
        if (shared)
        {
            w.Line($"int position = kh * {p.KW} + kw;");
            w.Line("if (position < firstPosition || position >= endPosition) continue; // another share's");
        }
        w.Line($"int pixel = (top + kh) * {p.InW} + left + kw;");
        if (p.Input.Channels == 1)
        {
            w.Line("if (Unsafe.Add(ref count0, pixel) == 0) continue;");
            w.Line("float v = Unsafe.Add(ref value0, pixel);");
            if (scalar)
            {
                body("v", $"Unsafe.Add(ref {target}, (kh * {p.KW} + kw) * {p.OutC}{offset})");
            }
            else
            {
                w.Line($"ref float wr = ref Unsafe.Add(ref {target}, (kh * {p.KW} + kw) * {p.OutC}{offset});");
                body("v", "wr");
            }
        }
        else
        {
            w.Line("int listed = Unsafe.Add(ref count0, pixel);");
            w.Line($"ref int cp = ref Unsafe.Add(ref channel0, pixel * {p.InC});");
            w.Line($"ref float vp = ref Unsafe.Add(ref value0, pixel * {p.InC});");
            w.Line($"ref float wk = ref Unsafe.Add(ref {target}, (kh * {p.KW} + kw) * {p.InC} * {p.OutC}{offset});");
            if (second is not null && !scalar)
            {
                w.Line("int k = 0;");
                w.Open("for (; k + 1 < listed; k += 2)");
                w.Line("float v = Unsafe.Add(ref vp, k), v2 = Unsafe.Add(ref vp, k + 1);");
                w.Line($"ref float wr = ref Unsafe.Add(ref wk, Unsafe.Add(ref cp, k) * {p.OutC});");
                w.Line($"ref float wr2 = ref Unsafe.Add(ref wk, Unsafe.Add(ref cp, k + 1) * {p.OutC});");
                body("v", "wr");
                second("v2", "wr2");
                w.Close();
                w.Open("if (k < listed)");
                w.Line("float v = Unsafe.Add(ref vp, k);");
                w.Line($"ref float wr = ref Unsafe.Add(ref wk, Unsafe.Add(ref cp, k) * {p.OutC});");
                body("v", "wr");
                w.Close();
                w.Close();
                w.Close();
                return;
            }
            w.Open("for (int k = 0; k < listed; k++)");
            w.Line("float v = Unsafe.Add(ref vp, k);");
            if (scalar)
            {
                body("v", $"Unsafe.Add(ref wk, Unsafe.Add(ref cp, k) * {p.OutC})");
            }
            else
            {
                w.Line($"ref float wr = ref Unsafe.Add(ref wk, Unsafe.Add(ref cp, k) * {p.OutC});");
                body("v", "wr");
            }
            w.Close();
        }
        w.Close();
        w.Close();
    }

    /// <summary>
    /// Where the forward pass lists the nonzero input values: the spans given (a row each, kept for the weight gradient), or for
    /// <c>Forward</c> (empty spans) one row's arrays, on the stack for small images and rented otherwise.
    /// </summary>
    private static void EmitListScratch(SourceWriter w, Conv2dPlan p)
    {
        w.Line("bool keep = !count.IsEmpty;");
        if (OnStack(p))
        {
            w.Line($"Span<int> channels = keep ? channel : stackalloc int[{p.In}], counts = keep ? count : stackalloc int[{p.InH} * {p.InW}];");
            w.Line($"Span<float> values = keep ? value : stackalloc float[{p.In}];");
        }
        else
        {
            w.Line($"int[]? channelArray = keep ? null : ArrayPool<int>.Shared.Rent({p.In}), countArray = keep ? null : ArrayPool<int>.Shared.Rent({p.InH} * {p.InW});");
            w.Line($"float[]? valueArray = keep ? null : ArrayPool<float>.Shared.Rent({p.In});");
            w.Line("Span<int> channels = keep ? channel : channelArray, counts = keep ? count : countArray;");
            w.Line("Span<float> values = keep ? value : valueArray;");
        }
    }

    /// <summary>Lists row r's nonzero input values (into its own part of the lists when they are kept), and points channel0, value0, count0 at them.</summary>
    private static void EmitListRow(SourceWriter w, Conv2dPlan p)
    {
        string first = p.InputLayout == RowLayout.ChannelsFirst && p.Input.Channels > 1 ? "true" : "false";
        w.Line("int listRow = keep ? r : 0;");
        w.Line($"Span<int> channelRow = channels.Slice(listRow * {p.In}, {p.In}), countRow = counts.Slice(listRow * {p.InH} * {p.InW}, {p.InH} * {p.InW});");
        w.Line($"Span<float> valueRow = values.Slice(listRow * {p.In}, {p.In});");
        w.Line($"Images.ListNonzero(x.Slice(r * {p.In}, {p.In}), {p.InH} * {p.InW}, {p.InC}, channelsFirst: {first}, channelRow, valueRow, countRow);");
        w.Line("ref int channel0 = ref MemoryMarshal.GetReference(channelRow), count0 = ref MemoryMarshal.GetReference(countRow);");
        w.Line("ref float value0 = ref MemoryMarshal.GetReference(valueRow);");
    }

    private static void EmitReturnScratch(SourceWriter w, Conv2dPlan p)
    {
        if (OnStack(p)) return;
        w.Open("if (!keep)");
        w.Line("ArrayPool<int>.Shared.Return(channelArray!);");
        w.Line("ArrayPool<int>.Shared.Return(countArray!);");
        w.Line("ArrayPool<float>.Shared.Return(valueArray!);");
        w.Close();
    }

    private static bool OnStack(Conv2dPlan p) => p.Input.Size <= Limits.ListedImageOnStack;

    /// <summary><c>[rows, 28, 28, 1] (row, column, channel)</c>: a batch of images for the kernels' comments.</summary>
    private static string ImageText(Shape shape, RowLayout layout) => layout == RowLayout.ChannelsLast || shape.Channels == 1
        ? $"[rows, {shape.Height}, {shape.Width}, {shape.Channels}] (row, column, channel)"
        : $"[rows, {shape.Channels}, {shape.Height}, {shape.Width}] (channel, row, column)";
}
