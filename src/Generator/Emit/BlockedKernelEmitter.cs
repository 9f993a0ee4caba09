using System.Collections.Generic;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>
/// Emits the register-blocked <c>Vector256</c> bodies of the dense kernels, used when the CPU accelerates
/// <c>Vector256</c> (the portable <c>Vector&lt;T&gt;</c> bodies run otherwise). Outputs are handled in blocks of up
/// to <see cref="BlockVectors"/> vectors whose sums stay in registers while the block's inputs stream past;
/// zero inputs are skipped through a list built without branches; multiply-adds are fused where the CPU has FMA.
/// </summary>
internal static class BlockedKernelEmitter
{
    public const string V256 = "global::System.Runtime.Intrinsics.Vector256";
    private const string Unsafe = Names.Unsafe;
    private const string Marshal = Names.MemoryMarshal;

    /// <summary>Floats per <c>Vector256</c>.</summary>
    private const int Lanes = 8;

    /// <summary>Accumulators per block: 8 of the 16 vector registers, leaving room for the broadcast input and a load.</summary>
    public const int BlockVectors = 8;

    /// <summary>Layers with more inputs than this keep the portable kernel (the forward list of nonzero inputs lives on the stack).</summary>
    public const int MaxListedInputs = 8192;

    public static bool CanBlockForward(DenseLayer layer) => layer.Inputs <= MaxListedInputs;

    /// <summary>
    /// The blocked forward body: per row, list the nonzero inputs, then for each block of outputs sum
    /// <c>x[i] W[i, block]</c> over them in registers, add nothing to memory until the block is done.
    /// Ends with <c>return;</c>.
    /// </summary>
    public static void EmitForward(SourceWriter w, DenseLayer layer)
    {
        string @in = Names.In(layer), @out = Names.Out(layer);
        bool fused = layer.Activation is Activation.Relu or Activation.LeakyRelu or Activation.Identity;
        bool keepZ = ActivationEmitter.NeedsPreActivation(layer.Activation);
        w.Line($"global::System.Span<int> nonzero = stackalloc int[{@in}];");
        w.Line($"ref int nz0 = ref {Marshal}.GetReference(nonzero);");
        if (layer.HasBias) w.Line($"ref float b0 = ref {Marshal}.GetArrayDataReference(b);");
        if (layer.Activation == Activation.LeakyRelu) w.Line($"var alpha = {V256}.Create({ActivationEmitter.Alpha(layer)});");
        w.Open("for (int r = 0; r < rows; r++)");
        w.Line($"ref float x0 = ref {Marshal}.GetReference(x.Slice(r * {@in}, {@in}));");
        w.Line($"ref float y0 = ref {Marshal}.GetReference(y.Slice(r * {@out}, {@out}));");
        w.Line("int n = 0;");
        w.Open($"for (int i = 0; i < {@in}; i++)");
        w.Line($"{Unsafe}.Add(ref nz0, n) = i;");
        w.Line($"n += {Unsafe}.Add(ref x0, i) != 0f ? 1 : 0; // lists the nonzero inputs without a branch to mispredict");
        w.Close();
        EachBlock(w, layer.Units, (start, vectors) =>
        {
            for (int j = 0; j < vectors; j++)
                w.Line(layer.HasBias ? $"var a{j} = {V256}.LoadUnsafe(ref b0, (nuint)({start} + {j * Lanes}));" : $"var a{j} = {V256}<float>.Zero;");
            EmitListedSums(w, "i", $"{Unsafe}.Add(ref x0, i)", "wi", $"{Unsafe}.Add(ref w0, i * {@out} + {start})", vectors);
            for (int j = 0; j < vectors; j++)
            {
                string value = layer.Activation switch
                {
                    Activation.Relu => $"{V256}.Max(a{j}, {V256}<float>.Zero)",
                    Activation.LeakyRelu => $"{V256}.ConditionalSelect({V256}.GreaterThan(a{j}, {V256}<float>.Zero), a{j}, a{j} * alpha)",
                    _ => $"a{j}",
                };
                w.Line($"{V256}.StoreUnsafe({value}, ref y0, (nuint)({start} + {j * Lanes}));");
            }
        });
        int vectorEnd = layer.Units / Lanes * Lanes;
        if (vectorEnd < layer.Units)
        {
            w.Open($"for (int o = {vectorEnd}; o < {@out}; o++)");
            w.Line(layer.HasBias ? $"float s = {Unsafe}.Add(ref b0, o);" : "float s = 0f;");
            w.Open("for (int k = 0; k < n; k++)");
            w.Line($"int i = {Unsafe}.Add(ref nz0, k);");
            w.Line($"s += {Unsafe}.Add(ref x0, i) * {Unsafe}.Add(ref w0, i * {@out} + o);");
            w.Close();
            w.Line(layer.Activation switch
            {
                Activation.Relu => $"{Unsafe}.Add(ref y0, o) = global::System.MathF.Max(s, 0f);",
                Activation.LeakyRelu => $"{Unsafe}.Add(ref y0, o) = s > 0f ? s : s * {ActivationEmitter.Alpha(layer)};",
                _ => $"{Unsafe}.Add(ref y0, o) = s;",
            });
            w.Close();
        }
        if (!fused)
        {
            if (keepZ) w.Line($"if (!z.IsEmpty) {Marshal}.CreateReadOnlySpan(ref y0, {@out}).CopyTo(z.Slice(r * {@out}, {@out}));");
            ActivationEmitter.EmitInPlace(w, layer, @out);
        }
        w.Close();
        w.Line("return;");
    }

    /// <summary>
    /// The blocked backward pass. For each input i: list the rows where x[r, i] is nonzero (without branches), then per
    /// block of outputs <c>dW[i, block] = sum over them of x[r, i] dz[r, block]</c> in registers, stored once; and, when
    /// the input needs a gradient, <c>dx[r, i] = dz[r, :] . W[i, :]</c> with W's block held in registers (only the listed
    /// rows after a ReLU, whose derivative is 0 where x is). Writes dW, db and dx (no clearing needed). Ends with <c>return;</c>.
    /// </summary>
    public static void EmitBackward(SourceWriter w, DenseLayer layer, bool inputGradient, bool reluInput)
    {
        string @in = Names.In(layer), @out = Names.Out(layer);
        w.Line($"ref float x0 = ref {Marshal}.GetReference(x);");
        w.Line($"ref float dz0 = ref {Marshal}.GetReference(dz);");
        if (inputGradient) w.Line($"ref float dx0 = ref {Marshal}.GetReference(dx);");
        w.Line("int[]? rented = rows > 1024 ? global::System.Buffers.ArrayPool<int>.Shared.Rent(rows) : null;");
        w.Line("global::System.Span<int> listed = rented is null ? stackalloc int[1024] : rented;");
        w.Line($"ref int nz0 = ref {Marshal}.GetReference(listed);");
        w.Open($"for (int i = 0; i < {@in}; i++)");
        w.Line("int n = 0;");
        w.Open("for (int r = 0; r < rows; r++)");
        w.Line($"{Unsafe}.Add(ref nz0, n) = r;");
        w.Line($"n += {Unsafe}.Add(ref x0, r * {@in} + i) != 0f ? 1 : 0; // lists the rows where input i is nonzero, without a branch");
        if (inputGradient) w.Line($"{Unsafe}.Add(ref dx0, r * {@in} + i) = 0f;");
        w.Close();
        w.Line($"ref float dwi = ref {Unsafe}.Add(ref dw0, i * {@out});");
        if (inputGradient) w.Line($"ref float wi = ref {Unsafe}.Add(ref w0, i * {@out});");
        // The rows whose dx the block adds to: the listed ones after a ReLU, all of them otherwise.
        string dxLoop = reluInput ? "for (int k = 0; k < n; k++)" : "for (int r = 0; r < rows; r++)";
        string dxRow = reluInput ? $"int r = {Unsafe}.Add(ref nz0, k);" : null!;
        EachBlock(w, layer.Units, (start, vectors) =>
        {
            for (int j = 0; j < vectors; j++) w.Line($"var a{j} = {V256}<float>.Zero;");
            EmitListedSums(w, "r", $"{Unsafe}.Add(ref x0, r * {@in} + i)", "dzr", $"{Unsafe}.Add(ref dz0, r * {@out} + {start})", vectors);
            for (int j = 0; j < vectors; j++)
                w.Line($"{V256}.StoreUnsafe(a{j}, ref dwi, (nuint)({start} + {j * Lanes}));");
            if (!inputGradient) return;
            for (int j = 0; j < vectors; j++) w.Line($"var wv{j} = {V256}.LoadUnsafe(ref wi, (nuint)({start} + {j * Lanes}));");
            w.Open(dxLoop);
            if (reluInput) w.Line(dxRow);
            w.Line($"ref float dzr = ref {Unsafe}.Add(ref dz0, r * {@out} + {start});");
            w.Line($"var s = wv0 * {V256}.LoadUnsafe(ref dzr, 0);");
            for (int j = 1; j < vectors; j++) w.Line($"s = {V256}.MultiplyAddEstimate(wv{j}, {V256}.LoadUnsafe(ref dzr, {j * Lanes}), s);");
            w.Line($"{Unsafe}.Add(ref dx0, r * {@in} + i) += {V256}.Sum(s);");
            w.Close();
        });
        int vectorEnd = layer.Units / Lanes * Lanes;
        if (vectorEnd < layer.Units)
        {
            w.Open($"for (int o = {vectorEnd}; o < {@out}; o++)");
            w.Line("float s = 0f;");
            w.Open("for (int k = 0; k < n; k++)");
            w.Line($"int r = {Unsafe}.Add(ref nz0, k);");
            w.Line($"s += {Unsafe}.Add(ref x0, r * {@in} + i) * {Unsafe}.Add(ref dz0, r * {@out} + o);");
            w.Close();
            w.Line($"{Unsafe}.Add(ref dwi, o) = s;");
            w.Close();
            if (inputGradient)
            {
                w.Open(dxLoop);
                if (reluInput) w.Line(dxRow);
                w.Line("float s = 0f;");
                w.Line($"for (int o = {vectorEnd}; o < {@out}; o++) s += {Unsafe}.Add(ref dz0, r * {@out} + o) * {Unsafe}.Add(ref wi, o);");
                w.Line($"{Unsafe}.Add(ref dx0, r * {@in} + i) += s;");
                w.Close();
            }
        }
        w.Close();
        w.Line("if (rented is not null) global::System.Buffers.ArrayPool<int>.Shared.Return(rented);");
        if (layer.HasBias)
        {
            w.Line("global::System.Array.Clear(db);");
            w.Open("for (int r = 0; r < rows; r++)");
            w.Open($"for (int o = 0; o < {@out}; o++)");
            w.Line($"{Unsafe}.Add(ref db0, o) += {Unsafe}.Add(ref dz0, r * {@out} + o);");
            w.Close();
            w.Close();
        }
        w.Line("return;");
    }

    /// <summary>
    /// The inner loop both kernels share: for each listed index (named <paramref name="index"/>), broadcast its input
    /// value and add it times the row of vectors at <paramref name="rowExpression"/> into the accumulators a0, a1, ...
    /// </summary>
    private static void EmitListedSums(SourceWriter w, string index, string inputExpression, string row, string rowExpression, int vectors)
    {
        w.Open("for (int k = 0; k < n; k++)");
        w.Line($"int {index} = {Unsafe}.Add(ref nz0, k);");
        w.Line($"var xv = {V256}.Create({inputExpression});");
        w.Line($"ref float {row} = ref {rowExpression};");
        for (int j = 0; j < vectors; j++)
            w.Line($"a{j} = {V256}.MultiplyAddEstimate(xv, {V256}.LoadUnsafe(ref {row}, {j * Lanes}), a{j});");
        w.Close();
    }

    /// <summary>
    /// Emits the blocks covering the whole vectors of <paramref name="units"/> outputs: a loop over full blocks of
    /// <see cref="BlockVectors"/> vectors (start <c>o</c>), then one unrolled block for the remaining vectors.
    /// </summary>
    private static void EachBlock(SourceWriter w, int units, System.Action<string, int> body)
    {
        int vectors = units / Lanes;
        int full = vectors / BlockVectors, rest = vectors % BlockVectors;
        int blockFloats = BlockVectors * Lanes;
        if (full == 1)
        {
            w.Open();
            w.Line("const int o = 0;");
            body("o", BlockVectors);
            w.Close();
        }
        else if (full > 1)
        {
            w.Open($"for (int o = 0; o < {full * blockFloats}; o += {blockFloats})");
            body("o", BlockVectors);
            w.Close();
        }
        if (rest > 0)
        {
            w.Open();
            w.Line($"const int o = {full * blockFloats};");
            body("o", rest);
            w.Close();
        }
    }
}
