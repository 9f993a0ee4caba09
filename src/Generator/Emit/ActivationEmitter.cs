using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>
/// Emits activations: applied in place to a row of a layer's outputs in the forward kernel, and their
/// derivative (with the dropout mask) in a pass that turns dLoss/dy into dLoss/dz before the layer's backward kernel.
/// </summary>
internal static class ActivationEmitter
{
    private const string Vec = Names.Vector;
    private const string Unsafe = Names.Unsafe;

    /// <summary>Activations whose derivative is computed from the pre-activation z (kept in training).</summary>
    public static bool NeedsPreActivation(Activation activation) =>
        activation is Activation.Tanh or Activation.Sigmoid or Activation.Gelu or Activation.Softplus;

    /// <summary><c>relu(x W + b)</c>, <c>leaky_relu(x W, 0.1)</c>, ...: the layer's formula for comments.</summary>
    public static string Formula(DenseLayer layer)
    {
        string affine = layer.HasBias ? "x W + b" : "x W";
        return layer.Activation switch
        {
            Activation.Identity => affine,
            Activation.LeakyRelu => $"leaky_relu({affine}, alpha {Names.Float(layer.Alpha).TrimEnd('f')})",
            Activation.Gelu => $"gelu({affine}) (tanh approximation)",
            _ => $"{SpecWords.Of(layer.Activation)}({affine})",
        };
    }

    /// <summary>The constant holding a leaky ReLU's slope, e.g. <c>Fc1Alpha</c>.</summary>
    public static string Alpha(DenseLayer layer) => Names.Pascal(layer.Name) + "Alpha";

    /// <summary>Applies the activation in place to <c>size</c> floats starting at <c>ref float y0</c>.</summary>
    public static void EmitInPlace(SourceWriter w, DenseLayer layer, string size)
    {
        switch (layer.Activation)
        {
            case Activation.Identity:
                return;
            case Activation.Relu:
                w.Line("int k = 0;");
                w.Open(Names.VectorLoop("k", size));
                w.Line($"{Vec}.StoreUnsafe({Vec}.Max({Vec}.LoadUnsafe(ref y0, (nuint)k), {Vec}<float>.Zero), ref y0, (nuint)k);");
                w.Close();
                w.Line($"for (; k < {size}; k++) {Unsafe}.Add(ref y0, k) = global::System.MathF.Max({Unsafe}.Add(ref y0, k), 0f);");
                return;
            case Activation.LeakyRelu:
                w.Line("int k = 0;");
                w.Line($"var alpha = new {Vec}<float>({Alpha(layer)});");
                w.Open(Names.VectorLoop("k", size));
                w.Line($"var v = {Vec}.LoadUnsafe(ref y0, (nuint)k);");
                w.Line($"{Vec}.StoreUnsafe({Vec}.ConditionalSelect({Vec}.GreaterThan(v, {Vec}<float>.Zero), v, v * alpha), ref y0, (nuint)k);");
                w.Close();
                w.Open($"for (; k < {size}; k++)");
                w.Line($"ref float v = ref {Unsafe}.Add(ref y0, k);");
                w.Line($"if (!(v > 0f)) v *= {Alpha(layer)};");
                w.Close();
                return;
            default:
                w.Open($"for (int k = 0; k < {size}; k++)");
                w.Line($"ref float v = ref {Unsafe}.Add(ref y0, k);");
                w.Line($"v = {ScalarCall(layer.Activation, "v")};");
                w.Close();
                return;
        }
    }

    private static string ScalarCall(Activation activation, string z) => activation switch
    {
        Activation.Tanh => $"global::System.MathF.Tanh({z})",
        Activation.Sigmoid => $"Sigmoid({z})",
        Activation.Gelu => $"Gelu({z})",
        Activation.Softplus => $"Softplus({z})",
        _ => z,
    };

    /// <summary>
    /// Whether dLoss/dy must pass through a separate activation pass to become dLoss/dz. A hidden ReLU without
    /// dropout needs none: the next layer's backward kernel writes 0 wherever the ReLU output is 0.
    /// </summary>
    public static bool NeedsBackwardPass(DenseLayer layer, bool isOutput) =>
        layer.Dropout > 0f || layer.Activation switch
        {
            Activation.Identity => false,
            Activation.Relu => isOutput,
            _ => true,
        };

    public static string BackwardName(DenseLayer layer) => Names.Pascal(layer.Name) + "ActivationBackward";

    /// <summary>The call of the pass in a shard of the training pass, over its <c>rows</c> rows (the shard's slices of the buffers).</summary>
    public static string BackwardCall(DenseLayer layer, bool isOutput, string rows)
    {
        var args = new List<string> { Names.Local(Names.OutputGrad(layer)) };
        if (NeedsOutput(layer, isOutput)) args.Add(Names.Local(Names.Output(layer)));
        if (NeedsPreActivation(layer.Activation)) args.Add(Names.Local(Names.PreActivation(layer)));
        if (layer.Dropout > 0f) args.Add(Names.Local(Names.Keep(layer)));
        args.Add($"{rows} * {Names.Out(layer)}");
        return $"{BackwardName(layer)}({string.Join(", ", args)});";
    }

    /// <summary>ReLU and leaky ReLU take their derivative from the sign of the output y (a hidden ReLU's is applied elsewhere).</summary>
    private static bool NeedsOutput(DenseLayer layer, bool isOutput) =>
        layer.Activation == Activation.LeakyRelu || (layer.Activation == Activation.Relu && isOutput);

    /// <summary>The pass: <c>d = d * keep * activation'(z)</c> in place, with the factors this layer has.</summary>
    public static void EmitBackwardPass(SourceWriter w, DenseLayer layer, bool isOutput)
    {
        bool z = NeedsPreActivation(layer.Activation), dropout = layer.Dropout > 0f, y = NeedsOutput(layer, isOutput);
        bool relu = layer.Activation == Activation.Relu && isOutput;
        string factors = string.Join(" * ", new[] { "d", dropout ? "keep" : null, layer.Activation == Activation.Identity || (layer.Activation == Activation.Relu && !isOutput) ? null : SpecWords.Of(layer.Activation) + "'" }.Where(f => f is not null));
        w.Line($"/// <summary>{layer.Name}: turns dLoss/dy into dLoss/dz in place: d = {factors}.{(layer.Activation == Activation.Relu && !isOutput ? " (The ReLU's own mask is applied by the next layer's backward kernel.)" : "")}</summary>");
        w.Line($"// d{(y ? ", y" : "")}{(z ? ", z" : "")}{(dropout ? ", keep" : "")}: [count]");
        string parameters = "global::System.Span<float> d"
            + (y ? ", global::System.ReadOnlySpan<float> y" : "")
            + (z ? ", global::System.ReadOnlySpan<float> z" : "")
            + (dropout ? ", global::System.ReadOnlySpan<float> keep" : "")
            + ", int count";
        w.Open($"private static void {BackwardName(layer)}({parameters})");
        w.Line("d = d.Slice(0, count);");
        w.Open("for (int k = 0; k < d.Length; k++)");
        w.Line(dropout ? "float g = d[k] * keep[k];" : "float g = d[k];");
        switch (layer.Activation)
        {
            case Activation.Relu when relu:
                w.Line("if (!(y[k] > 0f)) g = 0f;");
                break;
            case Activation.LeakyRelu:
                w.Line($"if (!(y[k] > 0f)) g *= {Alpha(layer)}; // y > 0 exactly where z > 0, since alpha >= 0");
                break;
            case Activation.Tanh:
                w.Line("float t = global::System.MathF.Tanh(z[k]);");
                w.Line("g *= 1f - t * t;");
                break;
            case Activation.Sigmoid:
                w.Line("float s = Sigmoid(z[k]);");
                w.Line("g *= s * (1f - s);");
                break;
            case Activation.Gelu:
                w.Line("g *= GeluDerivative(z[k]);");
                break;
            case Activation.Softplus:
                w.Line("g *= SoftplusDerivative(z[k]);");
                break;
        }
        w.Line("d[k] = g;");
        w.Close();
        w.Close();
        w.Line();
    }

    /// <summary>The scalar functions the network's activations and loss use, each once.</summary>
    public static void EmitHelpers(SourceWriter w, NetworkSpec net)
    {
        var used = new HashSet<Activation>(net.Layers.Select(l => l.Activation));
        if (used.Contains(Activation.Sigmoid) || used.Contains(Activation.Softplus) || net.Loss == LossKind.BinaryCrossEntropy)
        {
            w.Line("/// <summary>1 / (1 + e^-z), without overflow for either sign of z.</summary>");
            w.Open("private static float Sigmoid(float z)");
            w.Line("if (z >= 0f) return 1f / (1f + global::System.MathF.Exp(-z));");
            w.Line("float e = global::System.MathF.Exp(z);");
            w.Line("return e / (1f + e);");
            w.Close();
            w.Line();
        }
        if (used.Contains(Activation.Gelu))
        {
            w.Line("// GELU, tanh approximation (PyTorch GELU(approximate=\"tanh\")): 0.5 z (1 + tanh(sqrt(2/pi) (z + 0.044715 z^3))).");
            w.Line("private const float GeluScale = 0.7978845608f, GeluCubic = 0.044715f;");
            w.Line();
            w.Open("private static float Gelu(float z)");
            w.Line("float t = global::System.MathF.Tanh(GeluScale * (z + GeluCubic * z * z * z));");
            w.Line("return 0.5f * z * (1f + t);");
            w.Close();
            w.Line();
            w.Open("private static float GeluDerivative(float z)");
            w.Line("float t = global::System.MathF.Tanh(GeluScale * (z + GeluCubic * z * z * z));");
            w.Line("return 0.5f * (1f + t) + 0.5f * z * (1f - t * t) * GeluScale * (1f + 3f * GeluCubic * z * z);");
            w.Close();
            w.Line();
        }
        if (used.Contains(Activation.Softplus))
        {
            w.Line("/// <summary>log(1 + e^z), and z itself above 20 (PyTorch Softplus: beta 1, threshold 20); e^z below -20, where log(1 + x) = x - x^2/2 + ... is x to float precision.</summary>");
            w.Line("private static float Softplus(float z) => z > 20f ? z : z < -20f ? global::System.MathF.Exp(z) : (float)global::System.Math.Log(1.0 + global::System.Math.Exp(z));");
            w.Line();
            w.Line("private static float SoftplusDerivative(float z) => z > 20f ? 1f : Sigmoid(z);");
            w.Line();
        }
    }
}
