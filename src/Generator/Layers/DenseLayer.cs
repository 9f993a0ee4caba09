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

    public override bool MasksZeroInputs(LayerSpec spec, bool outputMasked) => true;

    public override RowLayout OutputLayout(LayerSpec spec, RowLayout input) => RowLayout.ChannelsFirst;

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
        int inputs = context.InputWidth;
        Shape input = context.Input;
        var dims = new EquatableArray<int>(new[] { dense.Units, inputs });
        var tensors = new List<TensorPlan>();
        if (input.Spatial && input.Channels > 1 && input.Height * input.Width > 1 && context.InputLayout == RowLayout.ChannelsLast)
        {
            // Its input rows hold an image channels last; PyTorch flattens channels first. The weight's rows follow the rows'
            // order, and its layout says where each of PyTorch's [out, c * h * w] values lies, so model files stay PyTorch's.
            var split = new EquatableArray<int>(new[] { dense.Units, input.Channels, input.Height, input.Width });
            tensors.Add(new TensorPlan("_" + camel + "W", context.Name + ".weight", null, $"{@out}, {@in}", $"{@in} * {@out}", dims,
                new LayoutPlan(split, new EquatableArray<int>(new[] { 2, 3, 1, 0 })),
                $"[{input.Height}, {input.Width}, {input.Channels}, {dense.Units}] row-major [row, column, channel, out]"));
        }
        else
        {
            tensors.Add(new TensorPlan("_" + camel + "W", context.Name + ".weight", pascal + "Weight", $"{@out}, {@in}", $"{@in} * {@out}", dims, null,
                $"[{inputs}, {dense.Units}] row-major [in, out] = MathNet column-major [{dense.Units}, {inputs}]"));
        }
        if (dense.HasBias)
            tensors.Add(new TensorPlan("_" + camel + "B", context.Name + ".bias", pascal + "Bias", @out, @out, new EquatableArray<int>(new[] { dense.Units }), null, $"[{dense.Units}]"));
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
        string shape = p.Weight.LayoutField ?? $"{p.In}, {p.Out}";
        ParameterInitialization.Emit(w, p.Name, p.Init, p.Weight.Field, p.Bias?.Field, p.In, p.Out,
            $"Initializers.Uniform(random, {p.Weight.Field}, {shape}, {{0}})",
            $"Initializers.Normal(random, {p.Weight.Field}, {shape}, {{0}})",
            "nn.Linear");
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
        if (flow.InputGradient is not { } dx) return;
        string weights = $"wholeBatch ? {p.Weight.Gradient} : null" + (p.Bias is { } bias ? $", wholeBatch ? {bias.Gradient} : null" : "");
        w.Line($"{p.Pascal}InputGradient({flow.Input}, {flow.Gradient}, {p.Weight.Field}, {dx}, {weights}, n);");
    }

    /// <summary>A layer with an input gradient sums its weight gradients in that pass when it has the whole batch (one thread).</summary>
    public override void EmitWeightGradients(SourceWriter w, LayerPlan plan)
    {
        var p = (DensePlan)plan;
        string call = $"{p.Pascal}WeightGradient({p.Flow.Input}, {p.Flow.Gradient}, {p.Weight.Gradient}{(p.Bias is { } bias ? ", " + bias.Gradient : "")}, rows, shard, shards);";
        w.Line(p.Flow.NeedsInputGradient ? "if (!wholeBatch) " + call : call);
    }

    public override IEnumerable<string> WeightGradientBuffers(LayerPlan plan) => new[] { plan.Flow.Input, plan.Flow.Gradient };

    public override void EmitKernels(SourceWriter w, LayerPlan plan)
    {
        var p = (DensePlan)plan;
        DenseKernels.EmitForward(w, p);
        if (p.ActivationPass) ActivationCode.EmitPass(w, p.Name, p.Pascal, p.Activation, p.AlphaConstant, p.PassReadsOutput);
        if (p.Flow.NeedsInputGradient) DenseKernels.EmitInputGradient(w, p);
        DenseKernels.EmitWeightGradient(w, p);
    }
}
