using System.Collections.Generic;
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
    private const string ReadOnlySpan = "global::System.ReadOnlySpan<float>";
    private const string Span = "global::System.Span<float>";

    /// <summary>The forward call; <paramref name="z"/> is the pre-activation buffer (or <c>default</c>), used only by layers that keep it.</summary>
    public static string ForwardCall(DenseLayer layer, string x, string y, string z, string rows)
    {
        var args = new List<string> { x, Names.Weight(layer) };
        if (layer.HasBias) args.Add(Names.Bias(layer));
        args.Add(y);
        if (ActivationEmitter.NeedsPreActivation(layer.Activation)) args.Add(z);
        args.Add(rows);
        return $"{Names.Pascal(layer.Name)}Forward({string.Join(", ", args)});";
    }

    public static void EmitForward(SourceWriter w, DenseLayer layer)
    {
        string name = Names.Pascal(layer.Name), @in = Names.In(layer), @out = Names.Out(layer);
        bool keepZ = ActivationEmitter.NeedsPreActivation(layer.Activation);
        w.Line($"/// <summary>{layer.Name} forward: y = {ActivationEmitter.Formula(layer)}, row by row; each nonzero input adds its weight row to the outputs.</summary>");
        w.Line($"// x: [rows, {layer.Inputs}], w: [{layer.Inputs}, {layer.Units}] (row-major [in, out]){(layer.HasBias ? $", b: [{layer.Units}]" : "")}, y: [rows, {layer.Units}]{(keepZ ? $", z: empty, or [rows, {layer.Units}] to keep the pre-activations for training" : "")}");
        string parameters = $"{ReadOnlySpan} x, float[] w{(layer.HasBias ? ", float[] b" : "")}, {Span} y{(keepZ ? $", {Span} z" : "")}, int rows";
        w.Open($"private static void {name}Forward({parameters})");
        w.Line($"ref float w0 = ref {Marshal}.GetArrayDataReference(w);");
        if (BlockedKernelEmitter.CanBlockForward(layer))
        {
            w.Open($"if ({BlockedKernelEmitter.V256}.IsHardwareAccelerated)");
            BlockedKernelEmitter.EmitForward(w, layer);
            w.Close();
            w.Line("// Portable kernel: Vector<float> of any width.");
        }
        w.Open("for (int r = 0; r < rows; r++)");
        w.Line($"{ReadOnlySpan} xr = x.Slice(r * {@in}, {@in});");
        w.Line($"{Span} yr = y.Slice(r * {@out}, {@out});");
        w.Line(layer.HasBias ? "global::System.MemoryExtensions.CopyTo(b, yr);" : "yr.Clear();");
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
        if (keepZ) w.Line($"if (!z.IsEmpty) yr.CopyTo(z.Slice(r * {@out}, {@out}));");
        ActivationEmitter.EmitInPlace(w, layer, @out);
        w.Close();
        w.Close();
        w.Line();
    }

    /// <summary>The backward call in a shard of the training pass (the shard's slices and gradients); <paramref name="below"/> is the layer feeding this one (null for the first layer).</summary>
    public static string BackwardCall(DenseLayer layer, DenseLayer? below, string rows)
    {
        var args = new List<string> { below is null ? "x" : Names.Local(Names.Output(below)), Names.Local(Names.OutputGrad(layer)) };
        if (below is not null) args.Add(Names.Weight(layer));
        args.Add(Names.Local(Names.Weight(layer)) + "Grad");
        if (layer.HasBias) args.Add(Names.Local(Names.Bias(layer)) + "Grad");
        if (below is not null) args.Add(Names.Local(Names.OutputGrad(below)));
        args.Add(rows);
        return $"{Names.Pascal(layer.Name)}Backward({string.Join(", ", args)});";
    }

    /// <param name="inputActivation">The activation that produced this layer's input (null for the network input,
    /// whose gradient nobody needs, so it is not computed).</param>
    public static void EmitBackward(SourceWriter w, DenseLayer layer, Activation? inputActivation)
    {
        string name = Names.Pascal(layer.Name), @in = Names.In(layer), @out = Names.Out(layer);
        bool needsInputGradient = inputActivation is not null;
        bool reluInput = inputActivation == Activation.Relu;
        bool bias = layer.HasBias;
        w.Line($"/// <summary>{layer.Name} backward: writes dW = x^T dz{(bias ? " and db = sum of dz rows" : "")}{(needsInputGradient ? $", and writes dx = (dz W^T){(reluInput ? " * relu'(x)" : "")}" : " (the network input needs no gradient)")}.</summary>");
        w.Line($"// x: [rows, {layer.Inputs}], dz: [rows, {layer.Units}] (dLoss/d(pre-activation)), w and dw: [{layer.Inputs}, {layer.Units}]{(bias ? $", db: [{layer.Units}]" : "")}{(needsInputGradient ? $", dx: [rows, {layer.Inputs}]" : "")}");
        string parameters = $"{ReadOnlySpan} x, {ReadOnlySpan} dz"
            + (needsInputGradient ? ", float[] w" : "")
            + ", float[] dw"
            + (bias ? ", float[] db" : "")
            + (needsInputGradient ? $", {Span} dx" : "")
            + ", int rows";
        w.Open($"private static void {name}Backward({parameters})");
        if (needsInputGradient) w.Line($"ref float w0 = ref {Marshal}.GetArrayDataReference(w);");
        w.Line($"ref float dw0 = ref {Marshal}.GetArrayDataReference(dw);");
        if (bias) w.Line($"ref float db0 = ref {Marshal}.GetArrayDataReference(db);");
        w.Open($"if ({BlockedKernelEmitter.V256}.IsHardwareAccelerated)");
        BlockedKernelEmitter.EmitBackward(w, layer, needsInputGradient, reluInput);
        w.Close();
        w.Line("// Portable kernel: Vector<float> of any width, accumulating into cleared gradients.");
        w.Line("global::System.Array.Clear(dw);");
        if (bias) w.Line("global::System.Array.Clear(db);");
        w.Open("for (int r = 0; r < rows; r++)");
        w.Line($"{ReadOnlySpan} xr = x.Slice(r * {@in}, {@in});");
        w.Line($"ref float dz0 = ref {Marshal}.GetReference(dz.Slice(r * {@out}, {@out}));");
        if (needsInputGradient) w.Line($"{Span} dxr = dx.Slice(r * {@in}, {@in});");
        if (bias)
        {
            w.Line("int b = 0;");
            w.Open(Names.VectorLoop("b", @out));
            w.Line($"{Vec}.StoreUnsafe({Vec}.LoadUnsafe(ref db0, (nuint)b) + {Vec}.LoadUnsafe(ref dz0, (nuint)b), ref db0, (nuint)b);");
            w.Close();
            w.Line($"for (; b < {@out}; b++) {Unsafe}.Add(ref db0, b) += {Unsafe}.Add(ref dz0, b);");
        }
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
        w.Line("int o = 0;");
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
