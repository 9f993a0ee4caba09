using NetGen.Generator.Emit;
using NetGen.Generator.Language;
using NetGen.Generator.Spec;

namespace NetGen.Generator.Layers;

/// <summary>
/// The code of each activation, shared by the activation layer and the dense layer that fuses one: applied in place
/// to a row, and its derivative.
/// </summary>
internal static class ActivationCode
{
    /// <summary>Activations whose derivative is computed from the pre-activation z, which a fused layer keeps in training.</summary>
    public static bool NeedsPreActivation(Activation activation) =>
        activation is Activation.Tanh or Activation.Sigmoid or Activation.Gelu or Activation.Softplus;

    /// <summary><c>relu(x W + b)</c>, <c>leaky_relu(x W, alpha 0.1)</c>, ...: the formula for comments.</summary>
    public static string Formula(Activation activation, float alpha, string argument) => activation switch
    {
        Activation.Identity => argument,
        Activation.LeakyRelu => $"leaky_relu({argument}, alpha {Literals.Number(alpha)})",
        Activation.Gelu => $"gelu({argument}) (tanh approximation)",
        _ => $"{SpecWords.Activations.Of(activation)}({argument})",
    };

    /// <summary>The activation in words: <c>relu</c>, <c>leaky_relu 0.1</c>.</summary>
    public static string Describe(Activation activation, float alpha) =>
        activation == Activation.LeakyRelu ? $"{SpecWords.Activations.Of(activation)} {Literals.Number(alpha)}" : SpecWords.Activations.Of(activation);

    /// <summary>Applies the activation in place to <paramref name="size"/> floats starting at <c>ref float y0</c>.</summary>
    /// <param name="alpha">The constant holding a leaky ReLU's slope.</param>
    public static void EmitInPlace(SourceWriter w, Activation activation, string? alpha, string size)
    {
        switch (activation)
        {
            case Activation.Identity:
                return;
            case Activation.Relu:
                w.Line("int k = 0;");
                w.Open(Loops.Vector("k", size));
                w.Line("Vector.StoreUnsafe(Vector.Max(Vector.LoadUnsafe(ref y0, (nuint)k), Vector<float>.Zero), ref y0, (nuint)k);");
                w.Close();
                w.Line($"for (; k < {size}; k++) Unsafe.Add(ref y0, k) = MathF.Max(Unsafe.Add(ref y0, k), 0f);");
                return;
            case Activation.LeakyRelu:
                w.Line("int k = 0;");
                w.Line($"var slope = new Vector<float>({alpha});");
                w.Open(Loops.Vector("k", size));
                w.Line("var v = Vector.LoadUnsafe(ref y0, (nuint)k);");
                w.Line("Vector.StoreUnsafe(Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<float>.Zero), v, v * slope), ref y0, (nuint)k);");
                w.Close();
                w.Open($"for (; k < {size}; k++)");
                w.Line("ref float v = ref Unsafe.Add(ref y0, k);");
                w.Line($"if (!(v > 0f)) v *= {alpha};");
                w.Close();
                return;
            default:
                w.Open($"for (int k = 0; k < {size}; k++)");
                w.Line("ref float v = ref Unsafe.Add(ref y0, k);");
                w.Line($"v = {Call(activation, "v")};");
                w.Close();
                return;
        }
    }

    /// <summary>The activation of one value, for the activations computed one value at a time.</summary>
    public static string Call(Activation activation, string z) => activation switch
    {
        Activation.Tanh => $"MathF.Tanh({z})",
        Activation.Sigmoid => $"Activations.Sigmoid({z})",
        Activation.Gelu => $"Activations.Gelu({z})",
        Activation.Softplus => $"Activations.Softplus({z})",
        _ => z,
    };

    /// <summary>
    /// <c>g *= activation'(...)</c> for value <c>k</c>: from the sign of <paramref name="sign"/>[k] (ReLU, leaky ReLU; the
    /// output or the input, which have the same sign) or from the pre-activation <paramref name="z"/>[k] (the others).
    /// </summary>
    public static string Derivative(Activation activation, string? alpha, string g, string sign, string z) => activation switch
    {
        Activation.Relu => $"if (!({sign}[k] > 0f)) {g} = 0f;",
        Activation.LeakyRelu => $"if (!({sign}[k] > 0f)) {g} *= {alpha};",
        Activation.Tanh => $"{g} *= Activations.TanhDerivative({z}[k]);",
        Activation.Sigmoid => $"{g} *= Activations.SigmoidDerivative({z}[k]);",
        Activation.Gelu => $"{g} *= Activations.GeluDerivative({z}[k]);",
        Activation.Softplus => $"{g} *= Activations.SoftplusDerivative({z}[k]);",
        _ => "",
    };

    /// <summary>
    /// The pass <c>d = d * activation'(z)</c> in place, which turns dLoss/dy into dLoss/dz before a layer's backward kernel:
    /// from the outputs' signs (ReLU, leaky ReLU) or from the pre-activations the layer kept.
    /// </summary>
    public static void EmitPass(SourceWriter w, string name, string pascal, Activation activation, string? alpha, bool readsOutput)
    {
        string source = readsOutput ? "y" : "z";
        w.Line($"/// <summary>{name}: turns dLoss/dy into dLoss/dz in place: d = d * {SpecWords.Activations.Of(activation)}'({source}).</summary>");
        w.Line($"// d, {source}: [count]");
        w.Open($"internal static void {pascal}ActivationBackward(Span<float> d, ReadOnlySpan<float> {source}, int count)");
        w.Line("d = d.Slice(0, count);");
        w.Open("for (int k = 0; k < d.Length; k++)");
        w.Line(Derivative(activation, alpha, "d[k]", "y", "z"));
        w.Close();
        w.Close();
        w.Line();
    }

    /// <summary>
    /// A leaky ReLU's <c>"alpha"</c> (PyTorch's 0.01 if absent); any other activation must not have one (NG2007). An unknown
    /// activation (null, already reported) gets no second error.
    /// </summary>
    public static float ReadAlpha(LayerReader reader, Activation? activation)
    {
        float alpha = activation == Activation.LeakyRelu ? SpecDefaults.Alpha : 0f;
        if (reader.Find("alpha") is not JsonProperty property) return alpha;
        if (activation == Activation.LeakyRelu)
            return (float)reader.Number("alpha", SpecDefaults.Alpha, x => x >= 0, SpecMessages.AtLeastZero);
        if (activation is not null)
            reader.Conflict(property.NameSpan, SpecMessages.AlphaWithoutLeakyRelu(reader.Where, SpecWords.Activations.Of(activation.Value)));
        return alpha;
    }
}
