using System;
using NetGen.Generator.Emit;
using NetGen.Generator.Language;

namespace NetGen.Generator.Layers;

/// <summary>
/// The kernels of a dense layer, <c>Fc1Forward</c> and <c>Fc1Backward</c>: static methods over spans whose sizes are the
/// layer's constants. Weights are <c>[in, out]</c> row-major, so the forward product and the weight gradient both run
/// along contiguous outputs. Where the CPU accelerates <c>Vector256</c>, register-blocked bodies run: outputs in blocks of
/// up to <see cref="BlockedSums.BlockVectors"/> vectors whose sums stay in registers while the inputs stream past, zero inputs skipped
/// through a list built without branches, multiply-adds fused where the CPU has FMA. Elsewhere portable
/// <c>Vector&lt;T&gt;</c> bodies run.
/// </summary>
internal static class DenseKernels
{
    /// <summary>Rows whose list the backward kernel keeps on the stack; a larger batch rents it.</summary>
    private const int ListedRowsOnStack = 1024;

    public static void EmitForward(SourceWriter w, DensePlan p)
    {
        string @in = p.In, @out = p.Out;
        bool keepZ = p.PreActivation is not null;
        bool grouped = p.BlockedForward && IsGrouped(p);
        w.Line($"/// <summary>{p.Name} forward: y = {ActivationCode.Formula(p.Activation, p.Alpha, p.HasBias ? "x W + b" : "x W")}, {(grouped ? "four rows at a time where the CPU has Vector256, else row by row" : "row by row")}; each nonzero input adds its weight row to the outputs.</summary>");
        w.Line($"// x: [rows, {p.Inputs}], w: [{p.Inputs}, {p.Units}] (row-major [in, out]){(p.HasBias ? $", b: [{p.Units}]" : "")}, y: [rows, {p.Units}]{(keepZ ? $", z: empty, or [rows, {p.Units}] to keep the pre-activations for training" : "")}");
        string parameters = $"ReadOnlySpan<float> x, float[] w{(p.HasBias ? ", float[] b" : "")}, Span<float> y{(keepZ ? ", Span<float> z" : "")}, int rows";
        w.Open($"internal static void {p.Pascal}Forward({parameters})");
        w.Line("ref float w0 = ref MemoryMarshal.GetArrayDataReference(w);");
        if (p.BlockedForward)
        {
            w.Open("if (Vector256.IsHardwareAccelerated)");
            EmitBlockedForward(w, p);
            w.Close();
            w.Line("// Portable kernel: Vector<float> of any width.");
        }
        w.Open("for (int r = 0; r < rows; r++)");
        w.Line($"ReadOnlySpan<float> xr = x.Slice(r * {@in}, {@in});");
        w.Line($"Span<float> yr = y.Slice(r * {@out}, {@out});");
        w.Line(p.HasBias ? "b.CopyTo(yr);" : "yr.Clear();");
        w.Line("ref float y0 = ref MemoryMarshal.GetReference(yr);");
        w.Open($"for (int i = 0; i < {@in}; i++)");
        w.Line("float xi = xr[i];");
        w.Line("if (xi == 0f) continue; // blank pixels and ReLU zeros add nothing");
        w.Line($"ref float wi = ref Unsafe.Add(ref w0, i * {@out});");
        w.Line("var xv = new Vector<float>(xi);");
        Loops.EmitMultiplyAdd(w, "xv", "xi", "wi", "y0", @out);
        w.Close();
        if (keepZ) w.Line($"if (!z.IsEmpty) yr.CopyTo(z.Slice(r * {@out}, {@out}));");
        ActivationCode.EmitInPlace(w, p.Activation, p.AlphaConstant, @out);
        w.Close();
        w.Close();
        w.Line();
    }

    /// <summary>
    /// The blocked forward body: per row, list the nonzero inputs, then for each block of outputs sum
    /// <c>x[i] W[i, block]</c> over them in registers, and store the block once. Ends with <c>return;</c>.
    /// </summary>
    private static void EmitBlockedForward(SourceWriter w, DensePlan p)
    {
        string @in = p.In, @out = p.Out;
        bool fused = p.Activation is Activation.Relu or Activation.LeakyRelu or Activation.Identity;
        BlockedSums.Blocks blocks = new(p.Units, @out);
        blocks.EmitConstants(w);
        w.Line($"Span<int> nonzero = stackalloc int[{@in}];");
        w.Line("ref int nz0 = ref MemoryMarshal.GetReference(nonzero);");
        if (p.HasBias) w.Line("ref float b0 = ref MemoryMarshal.GetArrayDataReference(b);");
        if (IsGrouped(p))
        {
            w.Line("int r = 0;");
            EmitGroupedRows(w, p);
            w.Open("for (; r < rows; r++)");
        }
        else
        {
            w.Open("for (int r = 0; r < rows; r++)");
        }
        w.Line($"ref float x0 = ref MemoryMarshal.GetReference(x.Slice(r * {@in}, {@in}));");
        w.Line($"ref float y0 = ref MemoryMarshal.GetReference(y.Slice(r * {@out}, {@out}));");
        w.Line("int n = 0;");
        w.Open($"for (int i = 0; i < {@in}; i++)");
        w.Line("Unsafe.Add(ref nz0, n) = i;");
        w.Line("n += Unsafe.Add(ref x0, i) != 0f ? 1 : 0; // lists the nonzero inputs without a branch to mispredict");
        w.Close();
        blocks.EachWidth(w, block =>
        {
            foreach (var v in block.Vectors)
                w.Line(p.HasBias ? $"var a{v.Index} = {v.LoadAt("b0", block.Start)};" : $"var a{v.Index} = {v.Zero};");
            BlockedSums.EmitListedSums(w, "i", "Unsafe.Add(ref x0, i)", "wi", $"Unsafe.Add(ref w0, i * {@out} + {block.Start})", block);
            foreach (var v in block.Vectors)
            {
                string a = $"a{v.Index}";
                string value = p.Activation switch
                {
                    Activation.Relu => $"{v.Type}.Max({a}, {v.Zero})",
                    Activation.LeakyRelu => $"{v.Type}.ConditionalSelect({v.Type}.GreaterThan({a}, {v.Zero}), {a}, {a} * {p.AlphaConstant})",
                    _ => a,
                };
                w.Line(v.StoreAt(value, "y0", block.Start));
            }
        });
        if (blocks.HasTail)
        {
            w.Open($"for (int o = vectorized; o < {@out}; o++)");
            w.Line(p.HasBias ? "float s = Unsafe.Add(ref b0, o);" : "float s = 0f;");
            w.Open("for (int k = 0; k < n; k++)");
            w.Line("int i = Unsafe.Add(ref nz0, k);");
            w.Line($"s += Unsafe.Add(ref x0, i) * Unsafe.Add(ref w0, i * {@out} + o);");
            w.Close();
            w.Line(p.Activation switch
            {
                Activation.Relu => "Unsafe.Add(ref y0, o) = MathF.Max(s, 0f);",
                Activation.LeakyRelu => $"Unsafe.Add(ref y0, o) = s > 0f ? s : s * {p.AlphaConstant};",
                _ => "Unsafe.Add(ref y0, o) = s;",
            });
            w.Close();
        }
        if (!fused)
        {
            if (p.PreActivation is not null) w.Line($"if (!z.IsEmpty) MemoryMarshal.CreateReadOnlySpan(ref y0, {@out}).CopyTo(z.Slice(r * {@out}, {@out}));");
            ActivationCode.EmitInPlace(w, p.Activation, p.AlphaConstant, @out);
        }
        w.Close();
        w.Line("return;");
    }

    /// <summary>Rows the grouped forward sums together, and the outputs of its register block (two Vector256 per row).</summary>
    private const int GroupRows = 4, GroupOutputs = 16;

    /// <summary>Whether the blocked forward takes four rows at a time: an activation fused into the sums, outputs in whole blocks of 16.</summary>
    private static bool IsGrouped(DensePlan p) =>
        p.Activation is Activation.Relu or Activation.LeakyRelu or Activation.Identity && p.Units % GroupOutputs == 0;

    /// <summary>
    /// The grouped forward body (layers whose activation fuses into the sums and whose outputs are whole blocks of
    /// <see cref="GroupOutputs"/>): four rows at a time over the inputs nonzero in any of them, each weight vector loaded once
    /// for the four rows' multiply-adds. Each output still sums its inputs in ascending order from its bias, the zeros of one
    /// row that another row lists adding nothing, so the values are those of the row-by-row body. Advances <c>r</c>.
    /// </summary>
    private static void EmitGroupedRows(SourceWriter w, DensePlan p)
    {
        string @in = p.In, @out = p.Out;
        w.Line($"// Four rows at a time: the weights are the costly operand (loaded from the {p.Inputs} x {p.Units} matrix in jumps the");
        w.Line("// prefetcher cannot follow), so each vector of them feeds four rows' sums. The list holds the inputs nonzero in any of");
        w.Line("// the four (on MNIST's pixels twice one row's): more multiply-adds, by zeros, for a quarter of the weight loads.");
        w.Open($"for (; r + {GroupRows} <= rows; r += {GroupRows})");
        w.Line($"ref float x0 = ref MemoryMarshal.GetReference(x.Slice(r * {@in}, {GroupRows} * {@in}));");
        w.Line($"ref float y0 = ref MemoryMarshal.GetReference(y.Slice(r * {@out}, {GroupRows} * {@out}));");
        w.Line("int n = 0;");
        w.Open($"for (int i = 0; i < {@in}; i++)");
        w.Line("Unsafe.Add(ref nz0, n) = i;");
        w.Line($"bool any = (Unsafe.Add(ref x0, i) != 0f) | (Unsafe.Add(ref x0, {@in} + i) != 0f) | (Unsafe.Add(ref x0, 2 * {@in} + i) != 0f) | (Unsafe.Add(ref x0, 3 * {@in} + i) != 0f);");
        w.Line("n += any ? 1 : 0; // without a branch, as in the row-by-row body");
        w.Close();
        w.Open($"for (int o = 0; o < {@out}; o += {GroupOutputs}) // 4 rows x 16 outputs: 8 Vector256 sums in registers");
        if (p.HasBias)
        {
            w.Line("var lo = Vector256.LoadUnsafe(ref b0, (nuint)o);");
            w.Line("var hi = Vector256.LoadUnsafe(ref b0, (nuint)(o + 8));");
        }
        else
        {
            w.Line("var lo = Vector256<float>.Zero;");
            w.Line("var hi = Vector256<float>.Zero;");
        }
        w.Line("Vector256<float> a0 = lo, a1 = hi, c0 = lo, c1 = hi, d0 = lo, d1 = hi, e0 = lo, e1 = hi;");
        w.Open("for (int k = 0; k < n; k++)");
        w.Line("int i = Unsafe.Add(ref nz0, k);");
        w.Line($"ref float wi = ref Unsafe.Add(ref w0, i * {@out} + o);");
        w.Line("var wl = Vector256.LoadUnsafe(ref wi);");
        w.Line("var wh = Vector256.LoadUnsafe(ref wi, 8);");
        string[] acc = ["a", "c", "d", "e"];
        for (int g = 0; g < GroupRows; g++)
        {
            string offset = g == 0 ? "i" : $"{(g == 1 ? "" : g + " * ")}{@in} + i";
            w.Line($"var v{g} = Vector256.Create(Unsafe.Add(ref x0, {offset})); // row {g}'s input i, broadcast");
            w.Line($"{acc[g]}0 = Vector256.MultiplyAddEstimate(v{g}, wl, {acc[g]}0);");
            w.Line($"{acc[g]}1 = Vector256.MultiplyAddEstimate(v{g}, wh, {acc[g]}1);");
        }
        w.Close();
        for (int g = 0; g < GroupRows; g++)
        {
            string row = g == 0 ? "o" : $"{(g == 1 ? "" : g + " * ")}{@out} + o";
            string Offset(int half) => half == 0 ? (g == 0 ? "(nuint)o" : $"(nuint)({row})") : $"(nuint)({row} + 8)";
            foreach (int half in new[] { 0, 1 })
            {
                string a = $"{acc[g]}{half}";
                string value = p.Activation switch
                {
                    Activation.Relu => $"Vector256.Max({a}, Vector256<float>.Zero)",
                    Activation.LeakyRelu => $"Vector256.ConditionalSelect(Vector256.GreaterThan({a}, Vector256<float>.Zero), {a}, {a} * {p.AlphaConstant})",
                    _ => a,
                };
                w.Line($"Vector256.StoreUnsafe({value}, ref y0, {Offset(half)});");
            }
        }
        w.Close();
        w.Close();
    }

    public static void EmitInputGradient(SourceWriter w, DensePlan p)
    {
        string @in = p.In, @out = p.Out;
        bool mask = p.MaskInputGradient, bias = p.HasBias;
        w.Line($"/// <summary>");
        w.Line($"/// {p.Name} input gradient: writes dx = (dz W^T){(mask ? " * relu'(x)" : "")}, row by row. Given dw{(bias ? " and db" : "")} (one thread, the whole batch), it");
        w.Line($"/// also writes the weight gradient{(bias ? "s" : "")} in the same pass, as {p.Pascal}WeightGradient would: the same sums in the same order.");
        w.Line($"/// </summary>");
        w.Line($"// x: [rows, {p.Inputs}], dz: [rows, {p.Units}] (dLoss/d(pre-activation)), w: [{p.Inputs}, {p.Units}], dx: [rows, {p.Inputs}]"
            + $", dw: null or like w{(bias ? $", db: null or [{p.Units}]" : "")}");
        string parameters = $"ReadOnlySpan<float> x, ReadOnlySpan<float> dz, float[] w, Span<float> dx, float[]? dw{(bias ? ", float[]? db" : "")}, int rows";
        w.Open($"internal static void {p.Pascal}InputGradient({parameters})");
        w.Line("ref float w0 = ref MemoryMarshal.GetArrayDataReference(w);");
        w.Line("bool weights = dw is not null;");
        w.Open("if (Vector256.IsHardwareAccelerated)");
        EmitBlockedInputGradient(w, p);
        w.Close();
        w.Open("else");
        w.Line("// Portable kernel: Vector<float> of any width.");
        w.Line("if (weights) Array.Clear(dw!);");
        w.Open("for (int r = 0; r < rows; r++)");
        w.Line($"ReadOnlySpan<float> xr = x.Slice(r * {@in}, {@in});");
        w.Line($"ref float dz0 = ref MemoryMarshal.GetReference(dz.Slice(r * {@out}, {@out}));");
        w.Line($"Span<float> dxr = dx.Slice(r * {@in}, {@in});");
        w.Open($"for (int i = 0; i < {@in}; i++)");
        w.Line("float xi = xr[i];");
        if (mask)
        {
            w.Open("if (xi == 0f)");
            w.Line("dxr[i] = 0f; // relu'(x) = 0 where the ReLU output is 0, and x = 0 adds nothing to dW");
            w.Line("continue;");
            w.Close();
        }
        w.Line($"ref float wi = ref Unsafe.Add(ref w0, i * {@out});");
        w.Line("var acc = Vector<float>.Zero;");
        w.Line("int o = 0;");
        w.Open("if (weights && xi != 0f)");
        w.Line($"ref float dwi = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(dw!), i * {@out});");
        w.Line("var xv = new Vector<float>(xi);");
        w.Open(Loops.Vector("o", @out));
        w.Line("var g = Vector.LoadUnsafe(ref dz0, (nuint)o);");
        w.Line("Vector.StoreUnsafe(Vector.MultiplyAddEstimate(xv, g, Vector.LoadUnsafe(ref dwi, (nuint)o)), ref dwi, (nuint)o); // dW[i] += x[i] dz");
        w.Line("acc = Vector.MultiplyAddEstimate(Vector.LoadUnsafe(ref wi, (nuint)o), g, acc);");
        w.Close();
        w.Line($"for (int t = o; t < {@out}; t++) Unsafe.Add(ref dwi, t) += xi * Unsafe.Add(ref dz0, t);");
        w.Close();
        w.Open("else");
        w.Open(Loops.Vector("o", @out));
        w.Line("acc = Vector.MultiplyAddEstimate(Vector.LoadUnsafe(ref wi, (nuint)o), Vector.LoadUnsafe(ref dz0, (nuint)o), acc);");
        w.Close();
        w.Close();
        w.Line("float sum = Vector.Sum(acc);");
        w.Line($"for (; o < {@out}; o++) sum += Unsafe.Add(ref wi, o) * Unsafe.Add(ref dz0, o);");
        w.Line(mask ? "dxr[i] = sum; // relu'(x) = 1 here, since x > 0" : "dxr[i] = sum;");
        w.Close();
        w.Close();
        w.Close();
        if (bias)
        {
            w.Open("if (db is not null)");
            EmitBiasGradient(w, @out, shares: false);
            w.Close();
        }
        w.Close();
        w.Line();
    }

    /// <summary>
    /// The blocked input gradient: for each input i, list the rows where x[r, i] is nonzero (without branches); with dw, sum
    /// <c>dW[i, block]</c> over them in registers first (as the weight gradient kernel does); then, W's row i in registers a block
    /// at a time, <c>dx[r, i] = dz[r, :] . W[i, :]</c> for every row (after a ReLU only the listed rows: relu'(x) is 0 elsewhere).
    /// </summary>
    private static void EmitBlockedInputGradient(SourceWriter w, DensePlan p)
    {
        string @in = p.In, @out = p.Out;
        bool mask = p.MaskInputGradient;
        BlockedSums.Blocks blocks = new(p.Units, @out);
        blocks.EmitConstants(w);
        w.Line($"const int listedOnStack = {ListedRowsOnStack};");
        w.Line("ref float x0 = ref MemoryMarshal.GetReference(x);");
        w.Line("ref float dz0 = ref MemoryMarshal.GetReference(dz);");
        w.Line("ref float dx0 = ref MemoryMarshal.GetReference(dx);");
        w.Line("ref float dw0 = ref weights ? ref MemoryMarshal.GetArrayDataReference(dw!) : ref Unsafe.NullRef<float>();");
        w.Line("int[]? rented = rows > listedOnStack ? ArrayPool<int>.Shared.Rent(rows) : null;");
        w.Line("Span<int> listed = rented is null ? stackalloc int[listedOnStack] : rented;");
        w.Line("ref int nz0 = ref MemoryMarshal.GetReference(listed);");
        w.Open($"for (int i = 0; i < {@in}; i++)");
        w.Line("int n = 0;");
        w.Open("for (int r = 0; r < rows; r++)");
        w.Line("Unsafe.Add(ref nz0, n) = r;");
        w.Line($"n += Unsafe.Add(ref x0, r * {@in} + i) != 0f ? 1 : 0; // lists the rows where input i is nonzero, without a branch");
        w.Line($"Unsafe.Add(ref dx0, r * {@in} + i) = 0f;");
        w.Close();
        w.Line($"ref float wi = ref Unsafe.Add(ref w0, i * {@out});");
        w.Open("if (weights)");
        w.Line($"ref float dwi = ref Unsafe.Add(ref dw0, i * {@out});");
        EmitWeightBlocks(w, p, blocks);
        w.Close();
        // The rows whose dx the block adds to: the listed ones after a ReLU, all of them otherwise.
        string dxLoop = mask ? "for (int k = 0; k < n; k++)" : "for (int r = 0; r < rows; r++)";
        // Vector256 at both widths: a horizontal Sum's order depends on the width, and the weights must not.
        blocks.Each(w, wide: false, block =>
        {
            foreach (var v in block.Vectors) w.Line($"var wv{v.Index} = {v.LoadAt("wi", block.Start)};");
            w.Open(dxLoop);
            if (mask) w.Line("int r = Unsafe.Add(ref nz0, k);");
            w.Line($"ref float dzr = ref Unsafe.Add(ref dz0, r * {@out} + {block.Start});");
            w.Line("var s = wv0 * Vector256.LoadUnsafe(ref dzr, 0);");
            for (int j = 1; j < block.Vectors.Count; j++) w.Line($"s = Vector256.MultiplyAddEstimate(wv{j}, Vector256.LoadUnsafe(ref dzr, {j * BlockedSums.Lanes}), s);");
            w.Line($"Unsafe.Add(ref dx0, r * {@in} + i) += Vector256.Sum(s);");
            w.Close();
        });
        if (blocks.HasTail)
        {
            w.Open(dxLoop);
            if (mask) w.Line("int r = Unsafe.Add(ref nz0, k);");
            w.Line("float s = 0f;");
            w.Line($"for (int o = vectorized; o < {@out}; o++) s += Unsafe.Add(ref dz0, r * {@out} + o) * Unsafe.Add(ref wi, o);");
            w.Line($"Unsafe.Add(ref dx0, r * {@in} + i) += s;");
            w.Close();
        }
        w.Close();
        w.Line("if (rented is not null) ArrayPool<int>.Shared.Return(rented);");
    }

    /// <summary>
    /// <c>dW[i, block] = sum over the listed rows of x[r, i] dz[r, block]</c>, a block of outputs in registers at a time, stored
    /// once (into <c>dwi</c>, row i of dW); single outputs for the tail. Shared by both kernels that write dW.
    /// </summary>
    private static void EmitWeightBlocks(SourceWriter w, DensePlan p, BlockedSums.Blocks blocks)
    {
        string @in = p.In, @out = p.Out;
        blocks.EachWidth(w, block =>
        {
            foreach (var v in block.Vectors) w.Line($"var a{v.Index} = {v.Zero};");
            BlockedSums.EmitListedSums(w, "r", $"Unsafe.Add(ref x0, r * {@in} + i)", "dzr", $"Unsafe.Add(ref dz0, r * {@out} + {block.Start})", block);
            foreach (var v in block.Vectors) w.Line(v.StoreAt($"a{v.Index}", "dwi", block.Start));
        });
        if (blocks.HasTail)
        {
            w.Open($"for (int o = vectorized; o < {@out}; o++)");
            w.Line("float s = 0f;");
            w.Open("for (int k = 0; k < n; k++)");
            w.Line("int r = Unsafe.Add(ref nz0, k);");
            w.Line($"s += Unsafe.Add(ref x0, r * {@in} + i) * Unsafe.Add(ref dz0, r * {@out} + o);");
            w.Close();
            w.Line("Unsafe.Add(ref dwi, o) = s;");
            w.Close();
        }
    }

    public static void EmitWeightGradient(SourceWriter w, DensePlan p)
    {
        string @in = p.In, @out = p.Out;
        bool bias = p.HasBias;
        w.Line($"/// <summary>{p.Name} weight gradient: dW[i, :] = sum over the rows of x[r, i] dz[r, :] for share <paramref name=\"shard\"/> of the inputs i{(bias ? ", and db = the sum of dz's rows for its share of the outputs" : "")}.</summary>");
        w.Line($"// x: [rows, {p.Inputs}], dz: [rows, {p.Units}] (dLoss/d(pre-activation)), dw: [{p.Inputs}, {p.Units}]{(bias ? $", db: [{p.Units}]" : "")}");
        string parameters = "ReadOnlySpan<float> x, ReadOnlySpan<float> dz, float[] dw" + (bias ? ", float[] db" : "") + ", int rows, int shard, int shards";
        w.Open($"internal static void {p.Pascal}WeightGradient({parameters})");
        w.Line("ref float dw0 = ref MemoryMarshal.GetArrayDataReference(dw);");
        w.Line($"var (first, end) = Shards.Range({@in}, shard, shards); // this share's inputs: rows of dW");
        w.Open("if (Vector256.IsHardwareAccelerated)");
        EmitBlockedWeightGradient(w, p);
        w.Close();
        w.Open("else");
        w.Line("// Portable kernel: Vector<float> of any width, accumulating row by row into the cleared share.");
        w.Line($"dw.AsSpan(first * {@out}, (end - first) * {@out}).Clear();");
        w.Open("for (int r = 0; r < rows; r++)");
        w.Line($"ReadOnlySpan<float> xr = x.Slice(r * {@in}, {@in});");
        w.Line($"ref float dz0 = ref MemoryMarshal.GetReference(dz.Slice(r * {@out}, {@out}));");
        w.Open("for (int i = first; i < end; i++)");
        w.Line("float xi = xr[i];");
        w.Line("if (xi == 0f) continue; // a zero input adds nothing to its weight row's gradient");
        w.Line($"ref float dwi = ref Unsafe.Add(ref dw0, i * {@out});");
        w.Line("var xv = new Vector<float>(xi);");
        Loops.EmitMultiplyAdd(w, "xv", "xi", "dz0", "dwi", @out, comment: "dW[i] += x[i] dz");
        w.Close();
        w.Close();
        w.Close();
        if (bias) EmitBiasGradient(w, @out);
        w.Close();
        w.Line();
    }

    /// <summary><c>db[o] = sum over the rows of dz[r, o]</c>, in row order, for this share of the outputs (rows of <paramref name="out"/> values; an image's pixels are rows too).</summary>
    internal static void EmitBiasGradient(SourceWriter w, string @out, string rows = "rows", bool shares = true)
    {
        w.Line(shares ? $"var (firstOutput, endOutput) = Shards.Range({@out}, shard, shards); // this share of db" : $"const int firstOutput = 0, endOutput = {@out};");
        w.Line("ref float db0 = ref MemoryMarshal.GetArrayDataReference(db);");
        w.Line("db.AsSpan(firstOutput, endOutput - firstOutput).Clear();");
        w.Open($"for (int r = 0; r < {rows}; r++)");
        w.Line($"ref float dzr = ref MemoryMarshal.GetReference(dz.Slice(r * {@out}, {@out}));");
        w.Line("for (int o = firstOutput; o < endOutput; o++) Unsafe.Add(ref db0, o) += Unsafe.Add(ref dzr, o);");
        w.Close();
    }

    /// <summary>
    /// The blocked weight gradient: for each input i of the share, list the rows where x[r, i] is nonzero (without branches),
    /// then per block of outputs <c>dW[i, block] = sum over them of x[r, i] dz[r, block]</c> in registers, stored once.
    /// </summary>
    private static void EmitBlockedWeightGradient(SourceWriter w, DensePlan p)
    {
        string @in = p.In, @out = p.Out;
        BlockedSums.Blocks blocks = new(p.Units, @out);
        blocks.EmitConstants(w);
        w.Line($"const int listedOnStack = {ListedRowsOnStack};");
        w.Line("ref float x0 = ref MemoryMarshal.GetReference(x);");
        w.Line("ref float dz0 = ref MemoryMarshal.GetReference(dz);");
        w.Line("int[]? rented = rows > listedOnStack ? ArrayPool<int>.Shared.Rent(rows) : null;");
        w.Line("Span<int> listed = rented is null ? stackalloc int[listedOnStack] : rented;");
        w.Line("ref int nz0 = ref MemoryMarshal.GetReference(listed);");
        w.Open("for (int i = first; i < end; i++)");
        w.Line("int n = 0;");
        w.Open("for (int r = 0; r < rows; r++)");
        w.Line("Unsafe.Add(ref nz0, n) = r;");
        w.Line($"n += Unsafe.Add(ref x0, r * {@in} + i) != 0f ? 1 : 0; // lists the rows where input i is nonzero, without a branch");
        w.Close();
        w.Line($"ref float dwi = ref Unsafe.Add(ref dw0, i * {@out});");
        EmitWeightBlocks(w, p, blocks);
        w.Close();
        w.Line("if (rented is not null) ArrayPool<int>.Shared.Return(rented);");
    }
}
