using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Language;
using NetGen.Generator.Model;
using NetGen.Generator.Plan;
using NetGen.Generator.Spec;

namespace NetGen.Generator.Layers;

/// <summary>
/// The dense (fully connected) layer, <c>y = activation(x W + b)</c>, PyTorch's <c>nn.Linear</c> followed by its activation:
/// the activation of its <c>"activation"</c> property is fused into its kernels.
/// </summary>
internal sealed class DenseLayer : LayerUnit
{
    public static readonly DenseLayer Instance = new();

    private DenseLayer()
    {
    }

    public override string Type => SpecWords.DenseLayer;

    public override IReadOnlyList<string> Properties => SpecWords.DenseProperties;

    /// <summary><c>fc1</c>, <c>fc2</c>, ...: PyTorch's usual names, counting dense layers.</summary>
    public static string OrdinalName(int ordinal) => "fc" + Literals.Int(ordinal);

    public override string? DefaultName(int ordinal) => OrdinalName(ordinal);

    public override string? NameOf(LayerSpec spec) => ((DenseLayerSpec)spec).Name;

    public override LayerSpec? Parse(LayerReader reader, string? name)
    {
        if (!reader.RequiredInt("units", 1, int.MaxValue, SpecMessages.AtLeastOne, out int units)) return null;
        Activation? activation = reader.Activation();
        float alpha = ActivationCode.ReadAlpha(reader, activation);
        bool bias = reader.Bool("bias", true);
        Initializer init = reader.Word("init", SpecWords.Initializers, "initializer", Initializer.Default);
        return new DenseLayerSpec(name!, units, activation ?? Activation.Identity, alpha, bias, init);
    }

    public override bool HasParameters(LayerSpec spec) => true;

    /// <summary>A flat row of its units; after an image layer it takes the image flattened in PyTorch's order (channel, row, column).</summary>
    public override Shape OutputShape(LayerSpec spec, Shape input) => Shape.Flat(((DenseLayerSpec)spec).Units);

    public override long ParameterCount(LayerSpec spec, Shape input)
    {
        var dense = (DenseLayerSpec)spec;
        return input.Size * dense.Units + (dense.HasBias ? dense.Units : 0);
    }

    public override Activation OutputActivation(LayerSpec spec) => ((DenseLayerSpec)spec).Activation;

    public override bool MasksZeroInputs(LayerSpec spec) => true;

    public override string Describe(LayerSpec spec)
    {
        var dense = (DenseLayerSpec)spec;
        string part = Literals.Int(dense.Units);
        if (dense.Activation != Activation.Identity) part += " " + SpecWords.Activations.Of(dense.Activation);
        if (!dense.HasBias) part += " (no bias)";
        return part;
    }

    public override string Architecture(LayerSpec spec)
    {
        var dense = (DenseLayerSpec)spec;
        string part = $"{dense.Name} {Literals.Int(dense.Units)} {ActivationCode.Describe(dense.Activation, dense.Alpha)}";
        return dense.HasBias ? part : part + " no-bias";
    }

    public override LayerPlan Plan(LayerSpec spec, LayerContext context)
    {
        var dense = (DenseLayerSpec)spec;
        LayerFlow flow = context.Flow;
        string pascal = Identifiers.Pascal(context.Name), camel = Identifiers.Camel(context.Name);
        string @in = pascal + "In", @out = flow.Width;
        var tensors = new List<TensorPlan>
        {
            new("_" + camel + "W", context.Name + ".weight", pascal + "Weight", $"{@out}, {@in}", $"{@in} * {@out}", dense.Units, context.InputWidth),
        };
        if (dense.HasBias) tensors.Add(new TensorPlan("_" + camel + "B", context.Name + ".bias", pascal + "Bias", @out, @out, dense.Units, 0));
        var buffers = new List<BufferPlan> { new(flow.Output, @out), new(flow.Gradient, @out) };
        string? z = null;
        if (ActivationCode.NeedsPreActivation(dense.Activation))
        {
            z = camel + "Z";
            buffers.Add(new BufferPlan(z, @out));
        }
        bool pass = dense.Activation switch
        {
            Activation.Identity => false,
            Activation.Relu => flow.IsOutput || !context.ConsumerMasksZeros,
            _ => true,
        };
        string formula = dense.Activation == Activation.Identity ? "y = z" : $"y = {SpecWords.Activations.Of(dense.Activation)}(z)";
        return new DensePlan(
            context.Name,
            flow,
            new EquatableArray<BufferPlan>(buffers),
            $"[B, {Literals.Int(dense.Units)}], {formula}",
            new EquatableArray<TensorPlan>(tensors),
            pascal,
            context.InputWidth,
            dense.Units,
            @in,
            dense.Activation,
            dense.Alpha,
            dense.Activation == Activation.LeakyRelu ? pascal + "Alpha" : null,
            dense.HasBias,
            dense.Init,
            z,
            pass,
            context.InputIsReluOutput && flow.NeedsInputGradient,
            context.InputWidth <= Limits.MaxListedInputs);
    }

    public override void EmitConstants(SourceWriter w, LayerPlan plan)
    {
        var p = (DensePlan)plan;
        w.Line($"private const int {p.In} = {Literals.Int(p.Inputs)}, {p.Out} = {Literals.Int(p.Units)};");
        if (p.AlphaConstant is not null) w.Line($"private const float {p.AlphaConstant} = {Literals.Float(p.Alpha)}; // leaky_relu's slope below 0");
    }

    public override void EmitInitialization(SourceWriter w, LayerPlan plan)
    {
        var p = (DensePlan)plan;
        string weight = p.Weight.Field, bounds = Identifiers.Camel(p.Name) + "Bound";
        switch (p.Init)
        {
            case Initializer.Default:
                w.Line($"// {p.Name}: default (PyTorch nn.Linear): weight{(p.HasBias ? " and bias" : "")} from U(-1/sqrt(fan_in), +1/sqrt(fan_in))");
                w.Line($"float {bounds} = 1f / MathF.Sqrt({p.In});");
                w.Line($"Initializers.Uniform(random, {weight}, {p.In}, {p.Out}, {bounds});");
                if (p.Bias is { } bias) w.Line($"Initializers.Uniform(random, {bias.Field}, {bounds});");
                break;
            case Initializer.XavierUniform:
                w.Line($"// {p.Name}: xavier_uniform: weight from U(-a, a), a = sqrt(6 / (fan_in + fan_out)); bias 0");
                w.Line($"Initializers.Uniform(random, {weight}, {p.In}, {p.Out}, MathF.Sqrt(6f / ({p.In} + {p.Out})));");
                break;
            case Initializer.KaimingUniform:
                w.Line($"// {p.Name}: kaiming_uniform (ReLU gain sqrt(2), fan_in): weight from U(-a, a), a = sqrt(6 / fan_in); bias 0");
                w.Line($"Initializers.Uniform(random, {weight}, {p.In}, {p.Out}, MathF.Sqrt(6f / {p.In}));");
                break;
            case Initializer.KaimingNormal:
                w.Line($"// {p.Name}: kaiming_normal (ReLU gain sqrt(2), fan_in): weight from N(0, std^2), std = sqrt(2 / fan_in); bias 0");
                w.Line($"Initializers.Normal(random, {weight}, {p.In}, {p.Out}, MathF.Sqrt(2f / {p.In}));");
                break;
            case Initializer.Zeros:
                w.Line($"// {p.Name}: zeros: weight{(p.HasBias ? " and bias" : "")} start at 0 (the arrays are new)");
                break;
        }
    }

    public override void EmitTrainingForward(SourceWriter w, LayerPlan plan)
    {
        var p = (DensePlan)plan;
        w.Line(ForwardCall(p, p.Flow.Input, p.Flow.Output, p.PreActivation ?? ""));
    }

    public override void EmitInferenceForward(SourceWriter w, LayerPlan plan)
    {
        var p = (DensePlan)plan;
        w.Line(ForwardCall(p, p.Flow.InferenceInput, p.Flow.InferenceOutput, "default"));
    }

    /// <summary><c>Fc1Forward(x, _fc1W, _fc1B, fc1Y, n);</c>, with the pre-activation buffer (or <c>default</c>) for layers that keep it.</summary>
    private static string ForwardCall(DensePlan p, string x, string y, string z)
    {
        var args = new List<string> { x, p.Weight.Field };
        if (p.Bias is { } bias) args.Add(bias.Field);
        args.Add(y);
        if (p.PreActivation is not null) args.Add(z);
        args.Add("n");
        return $"{p.Pascal}Forward({string.Join(", ", args)});";
    }

    public override void EmitTrainingBackward(SourceWriter w, LayerPlan plan)
    {
        var p = (DensePlan)plan;
        LayerFlow flow = p.Flow;
        if (p.ActivationPass) w.Line($"{p.Pascal}ActivationBackward({flow.Gradient}, {(p.PassReadsOutput ? flow.Output : p.PreActivation)}, n * {p.Out});");
        var args = new List<string> { flow.Input, flow.Gradient };
        if (flow.NeedsInputGradient) args.Add(p.Weight.Field);
        args.Add(p.Weight.GradientLocal);
        if (p.Bias is { } bias) args.Add(bias.GradientLocal);
        if (flow.InputGradient is { } dx) args.Add(dx);
        args.Add("n");
        w.Line($"{p.Pascal}Backward({string.Join(", ", args)});");
    }

    public override void EmitKernels(SourceWriter w, LayerPlan plan)
    {
        var p = (DensePlan)plan;
        DenseKernels.EmitForward(w, p);
        if (p.ActivationPass) EmitActivationPass(w, p);
        DenseKernels.EmitBackward(w, p);
    }

    /// <summary>The pass <c>d = d * activation'(z)</c> in place, which turns dLoss/dy into dLoss/dz.</summary>
    private static void EmitActivationPass(SourceWriter w, DensePlan p)
    {
        string source = p.PassReadsOutput ? "y" : "z";
        w.Line($"/// <summary>{p.Name}: turns dLoss/dy into dLoss/dz in place: d = d * {SpecWords.Activations.Of(p.Activation)}'({source}).</summary>");
        w.Line($"// d, {source}: [count]");
        w.Open($"private static void {p.Pascal}ActivationBackward(Span<float> d, ReadOnlySpan<float> {source}, int count)");
        w.Line("d = d.Slice(0, count);");
        w.Open("for (int k = 0; k < d.Length; k++)");
        w.Line(ActivationCode.Derivative(p.Activation, p.AlphaConstant, "d[k]", "y", "z"));
        w.Close();
        w.Close();
        w.Line();
    }
}
