using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>
/// Emits one dense layer as a pair of static kernels, <c>Fc1Forward</c> and <c>Fc1Backward</c>,
/// over spans whose sizes are the layer's constants. Weights are <c>[in, out]</c> row-major, so both
/// the forward product and the weight gradient run along contiguous outputs, a vector at a time.
/// </summary>
internal static class DenseLayerEmitter
{
    private const string Vec = Names.Vector;
    private const string Unsafe = Names.Unsafe;
    private const string Marshal = Names.MemoryMarshal;

    public static void EmitForward(SourceWriter w, DenseLayer layer)
    {
        string name = Names.Pascal(layer.Name), @in = Names.In(layer), @out = Names.Out(layer);
        string formula = layer.Activation == Activation.Relu ? "relu(x W + b)" : "x W + b";
        w.Line($"/// <summary>{layer.Name} forward: y = {formula}, row by row; each nonzero input adds its weight row to the outputs.</summary>");
        w.Line($"// x: [rows, {layer.Inputs}], w: [{layer.Inputs}, {layer.Units}] (row-major [in, out]), b: [{layer.Units}], y: [rows, {layer.Units}]");
        w.Open($"private static void {name}Forward(global::System.ReadOnlySpan<float> x, float[] w, float[] b, global::System.Span<float> y, int rows)");
        w.Line($"ref float w0 = ref {Marshal}.GetArrayDataReference(w);");
        w.Open("for (int r = 0; r < rows; r++)");
        w.Line($"global::System.ReadOnlySpan<float> xr = x.Slice(r * {@in}, {@in});");
        w.Line($"global::System.Span<float> yr = y.Slice(r * {@out}, {@out});");
        w.Line("global::System.MemoryExtensions.CopyTo(b, yr);");
        w.Line($"ref float y0 = ref {Marshal}.GetReference(yr);");
        w.Open($"for (int i = 0; i < {@in}; i++)");
        w.Line("float xi = xr[i];");
        w.Line("if (xi == 0f) continue; // blank pixels and ReLU zeros add nothing");
        w.Line($"ref float wi = ref {Unsafe}.Add(ref w0, i * {@out});");
        w.Line($"var xv = new {Vec}<float>(xi);");
        w.Line("int o = 0;");
        w.Open(Names.VectorLoop("o", @out));
        w.Line($"{Vec}.StoreUnsafe({Vec}.MultiplyAddEstimate(xv, {Vec}.LoadUnsafe(ref wi, (nuint)o), {Vec}.LoadUnsafe(ref y0, (nuint)o)), ref y0, (nuint)o);");
        w.Close();
        w.Line($"for (; o < {@out}; o++) {Unsafe}.Add(ref y0, o) += xi * {Unsafe}.Add(ref wi, o);");
        w.Close();
        if (layer.Activation == Activation.Relu) EmitRelu(w, @out);
        w.Close();
        w.Close();
        w.Line();
    }

    private static void EmitRelu(SourceWriter w, string size)
    {
        w.Line("int k = 0;");
        w.Open(Names.VectorLoop("k", size));
        w.Line($"{Vec}.StoreUnsafe({Vec}.Max({Vec}.LoadUnsafe(ref y0, (nuint)k), {Vec}<float>.Zero), ref y0, (nuint)k);");
        w.Close();
        w.Line($"for (; k < {size}; k++) {Unsafe}.Add(ref y0, k) = global::System.MathF.Max({Unsafe}.Add(ref y0, k), 0f);");
    }

    /// <param name="inputActivation">The activation that produced this layer's input (null for the network input,
    /// whose gradient nobody needs, so it is not computed).</param>
    public static void EmitBackward(SourceWriter w, DenseLayer layer, Activation? inputActivation)
    {
        string name = Names.Pascal(layer.Name), @in = Names.In(layer), @out = Names.Out(layer);
        bool needsInputGradient = inputActivation is not null;
        bool reluInput = inputActivation == Activation.Relu;
        w.Line($"/// <summary>{layer.Name} backward: accumulates dW += x^T dz and db += sum of dz rows{(needsInputGradient ? $", and writes dx = (dz W^T){(reluInput ? " * relu'(x)" : "")}" : " (the network input needs no gradient)")}.</summary>");
        w.Line($"// x: [rows, {layer.Inputs}], dz: [rows, {layer.Units}] (dLoss/d(pre-activation)), w and dw: [{layer.Inputs}, {layer.Units}], db: [{layer.Units}]{(needsInputGradient ? $", dx: [rows, {layer.Inputs}]" : "")}");
        string signature = needsInputGradient
            ? $"private static void {name}Backward(global::System.ReadOnlySpan<float> x, global::System.ReadOnlySpan<float> dz, float[] w, float[] dw, float[] db, global::System.Span<float> dx, int rows)"
            : $"private static void {name}Backward(global::System.ReadOnlySpan<float> x, global::System.ReadOnlySpan<float> dz, float[] dw, float[] db, int rows)";
        w.Open(signature);
        if (needsInputGradient) w.Line($"ref float w0 = ref {Marshal}.GetArrayDataReference(w);");
        w.Line($"ref float dw0 = ref {Marshal}.GetArrayDataReference(dw);");
        w.Line($"ref float db0 = ref {Marshal}.GetArrayDataReference(db);");
        w.Open("for (int r = 0; r < rows; r++)");
        w.Line($"global::System.ReadOnlySpan<float> xr = x.Slice(r * {@in}, {@in});");
        w.Line($"ref float dz0 = ref {Marshal}.GetReference(dz.Slice(r * {@out}, {@out}));");
        if (needsInputGradient) w.Line($"global::System.Span<float> dxr = dx.Slice(r * {@in}, {@in});");
        w.Line("int o = 0;");
        w.Open(Names.VectorLoop("o", @out));
        w.Line($"{Vec}.StoreUnsafe({Vec}.LoadUnsafe(ref db0, (nuint)o) + {Vec}.LoadUnsafe(ref dz0, (nuint)o), ref db0, (nuint)o);");
        w.Close();
        w.Line($"for (; o < {@out}; o++) {Unsafe}.Add(ref db0, o) += {Unsafe}.Add(ref dz0, o);");
        w.Open($"for (int i = 0; i < {@in}; i++)");
        w.Line("float xi = xr[i];");
        if (!needsInputGradient)
        {
            w.Line("if (xi == 0f) continue; // a zero input adds nothing to its weight row's gradient");
        }
        else if (reluInput)
        {
            w.Open("if (xi == 0f)");
            w.Line("dxr[i] = 0f; // relu'(x) = 0 where the ReLU output is 0, and x = 0 adds nothing to dW");
            w.Line("continue;");
            w.Close();
        }
        w.Line($"ref float dwi = ref {Unsafe}.Add(ref dw0, i * {@out});");
        if (needsInputGradient) w.Line($"ref float wi = ref {Unsafe}.Add(ref w0, i * {@out});");
        w.Line($"var xv = new {Vec}<float>(xi);");
        if (needsInputGradient) w.Line($"var acc = {Vec}<float>.Zero;");
        w.Line("o = 0;");
        w.Open(Names.VectorLoop("o", @out));
        w.Line($"var g = {Vec}.LoadUnsafe(ref dz0, (nuint)o);");
        w.Line($"{Vec}.StoreUnsafe({Vec}.MultiplyAddEstimate(xv, g, {Vec}.LoadUnsafe(ref dwi, (nuint)o)), ref dwi, (nuint)o);");
        if (needsInputGradient) w.Line($"acc = {Vec}.MultiplyAddEstimate({Vec}.LoadUnsafe(ref wi, (nuint)o), g, acc);");
        w.Close();
        if (needsInputGradient)
        {
            w.Line($"float sum = {Vec}.Sum(acc);");
            w.Open($"for (; o < {@out}; o++)");
            w.Line($"float g = {Unsafe}.Add(ref dz0, o);");
            w.Line($"{Unsafe}.Add(ref dwi, o) += xi * g;");
            w.Line($"sum += {Unsafe}.Add(ref wi, o) * g;");
            w.Close();
            w.Line(reluInput ? "dxr[i] = sum; // relu'(x) = 1 here, since x > 0" : "dxr[i] = sum;");
        }
        else
        {
            w.Line($"for (; o < {@out}; o++) {Unsafe}.Add(ref dwi, o) += xi * {Unsafe}.Add(ref dz0, o);");
        }
        w.Close();
        w.Close();
        w.Close();
        w.Line();
    }
}
