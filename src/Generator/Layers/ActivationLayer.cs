using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Language;
using NetGen.Generator.Model;
using NetGen.Generator.Plan;
using NetGen.Generator.Spec;

namespace NetGen.Generator.Layers;

/// <summary>
/// An activation as a layer of its own, <c>{"type": "activation", "activation": "relu"}</c> (PyTorch's <c>nn.ReLU()</c>,
/// <c>nn.Tanh()</c>, ...). Right after a dense layer without an activation it becomes that layer's, fused into its
/// kernels; elsewhere (first, after dropout, after another activation) it has kernels of its own. Identity is left out.
/// </summary>
internal sealed class ActivationLayer : LayerUnit
{
    public static readonly ActivationLayer Instance = new();

    private ActivationLayer()
    {
    }

    public override string Type => SpecWords.ActivationLayer;

    public override IReadOnlyList<string> Properties => SpecWords.ActivationProperties;

    public override LayerSpec? Parse(LayerReader reader, string? name)
    {
        if (reader.Find("activation") is null)
        {
            reader.Missing("activation", SpecMessages.ActivationHint);
            return null;
        }
        Activation? activation = reader.Activation();
        float alpha = ActivationCode.ReadAlpha(reader, activation);
        return activation is null ? null : new ActivationLayerSpec(activation.Value, alpha);
    }

    /// <summary>The planner names activation layers <c>act1</c>, <c>act2</c>, ...</summary>
    public override string NamePrefix => "act";

    /// <summary>Right after a dense layer without an activation, this one is that layer's own: the same code, fused.</summary>
    public override LayerSpec? FoldInto(LayerSpec spec, LayerSpec previous)
    {
        var activation = (ActivationLayerSpec)spec;
        return previous switch
        {
            DenseLayerSpec { Activation: Activation.Identity } dense => dense with { Activation = activation.Activation, Alpha = activation.Alpha },
            Conv2dLayerSpec { Activation: Activation.Identity } conv => conv with { Activation = activation.Activation, Alpha = activation.Alpha },
            _ => null,
        };
    }

    public override bool IsIdentity(LayerSpec spec) => ((ActivationLayerSpec)spec).Activation == Activation.Identity;

    public override Activation OutputActivation(LayerSpec spec) => ((ActivationLayerSpec)spec).Activation;

    /// <summary>A ReLU's backward pass writes a zero gradient wherever its input is 0.</summary>
    public override bool MasksZeroInputs(LayerSpec spec, bool outputMasked) => ((ActivationLayerSpec)spec).Activation == Activation.Relu;

    public override string GradientSuffix => "DY";

    public override string Describe(LayerSpec spec) => SpecWords.Activations.Of(((ActivationLayerSpec)spec).Activation);

    public override string Architecture(LayerSpec spec)
    {
        var activation = (ActivationLayerSpec)spec;
        return "activation " + ActivationCode.Describe(activation.Activation, activation.Alpha);
    }

    public override LayerPlan Plan(LayerSpec spec, LayerContext context)
    {
        var activation = (ActivationLayerSpec)spec;
        LayerFlow flow = context.Flow;
        string pascal = Identifiers.Pascal(context.Name);
        var buffers = new[] { new BufferPlan(flow.Output, flow.Width), new BufferPlan(flow.Gradient, flow.Width) };
        return new ActivationPlan(
            context.Name,
            flow,
            new EquatableArray<BufferPlan>(buffers),
            $"[B, {Literals.Int(context.InputWidth)}], y = {SpecWords.Activations.Of(activation.Activation)}(x)",
            pascal,
            context.InputWidth,
            activation.Activation,
            activation.Alpha,
            activation.Activation == Activation.LeakyRelu ? pascal + "Alpha" : null);
    }

    public override void EmitConstants(SourceWriter w, LayerPlan plan)
    {
        var p = (ActivationPlan)plan;
        w.Line($"private const int {p.Flow.Width} = {Literals.Int(p.Width)};");
        if (p.AlphaConstant is not null) w.Line($"private const float {p.AlphaConstant} = {Literals.Float(p.Alpha)}; // leaky_relu's slope below 0");
    }

    public override void EmitTrainingForward(SourceWriter w, LayerPlan plan) =>
        w.Line($"{((ActivationPlan)plan).Pascal}Forward({plan.Flow.Input}, {plan.Flow.Output}, n);");

    public override void EmitInferenceForward(SourceWriter w, LayerPlan plan) =>
        w.Line($"{((ActivationPlan)plan).Pascal}Forward({plan.Flow.InferenceInput}, {plan.Flow.InferenceOutput}, n);");

    public override void EmitTrainingBackward(SourceWriter w, LayerPlan plan)
    {
        if (plan.Flow.InputGradient is not { } dx) return; // no layer before has parameters
        w.Line($"{((ActivationPlan)plan).Pascal}Backward({plan.Flow.Input}, {plan.Flow.Gradient}, {dx}, n * {plan.Flow.Width});");
    }

    public override void EmitKernels(SourceWriter w, LayerPlan plan)
    {
        var p = (ActivationPlan)plan;
        string word = SpecWords.Activations.Of(p.Activation), size = p.Flow.Width;
        w.Line($"/// <summary>{p.Name} forward: y = {ActivationCode.Formula(p.Activation, p.Alpha, "x")}, value by value.</summary>");
        w.Line($"// x, y: [rows, {p.Width}]");
        w.Open($"internal static void {p.Pascal}Forward(ReadOnlySpan<float> x, Span<float> y, int rows)");
        w.Open("for (int r = 0; r < rows; r++)");
        w.Line($"Span<float> yr = y.Slice(r * {size}, {size});");
        w.Line($"x.Slice(r * {size}, {size}).CopyTo(yr);");
        w.Line("ref float y0 = ref MemoryMarshal.GetReference(yr);");
        ActivationCode.EmitInPlace(w, p.Activation, p.AlphaConstant, size);
        w.Close();
        w.Close();
        w.Line();
        if (!p.Flow.NeedsInputGradient) return;
        w.Line($"/// <summary>{p.Name} backward: dx = dy * {word}'(x).</summary>");
        w.Line("// x, dy, dx: [count]");
        w.Open($"internal static void {p.Pascal}Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, int count)");
        w.Open("for (int k = 0; k < count; k++)");
        w.Line("float g = dy[k];");
        w.Line(ActivationCode.Derivative(p.Activation, p.AlphaConstant, "g", "x", "x"));
        w.Line("dx[k] = g;");
        w.Close();
        w.Close();
        w.Line();
    }
}
