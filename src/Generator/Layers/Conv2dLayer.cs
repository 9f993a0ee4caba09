using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Language;
using NetGen.Generator.Model;
using NetGen.Generator.Plan;
using NetGen.Generator.Spec;

namespace NetGen.Generator.Layers;

/// <summary>
/// The 2-D convolution, PyTorch's <c>nn.Conv2d</c> followed by its activation: <c>y = activation(conv(x, W) + b)</c>, with
/// kernel, stride and padding given per direction. It reads its input in either layout and writes channels last; its
/// weight <c>[out, in, kh, kw]</c> is stored <c>[kh, kw, in, out]</c>, so every receptive-field value multiplies a
/// contiguous row of the output channels' weights, as in a dense layer.
/// </summary>
internal sealed class Conv2dLayer : LayerUnit
{
    public static readonly Conv2dLayer Instance = new();

    private Conv2dLayer()
    {
    }

    public override string Type => SpecWords.Conv2dLayer;

    public override IReadOnlyList<string> Properties => SpecWords.Conv2dProperties;

    /// <summary><c>conv1</c>, <c>conv2</c>, ...: counting conv2d layers.</summary>
    public override string? DefaultName(int ordinal) => "conv" + Literals.Int(ordinal);

    public override string? NameOf(LayerSpec spec) => ((Conv2dLayerSpec)spec).Name;

    public override LayerSpec? Parse(LayerReader reader, string? name)
    {
        if (!reader.RequiredInt("filters", 1, int.MaxValue, SpecMessages.AtLeastOne, out int filters)) return null;
        Size2? kernel = reader.Size("kernel", required: true, 1, SpecMessages.AtLeastOne);
        Size2 stride = reader.Size("stride", required: false, 1, SpecMessages.AtLeastOne) ?? new Size2(1, 1);
        Padding2? padding = ReadPadding(reader, kernel, stride);
        Activation? activation = reader.Activation();
        float alpha = ActivationCode.ReadAlpha(reader, activation);
        bool bias = reader.Bool("bias", true);
        Initializer init = reader.Word("init", SpecWords.Initializers, "initializer", Initializer.Default);
        if (kernel is null || padding is null) return null;
        return new Conv2dLayerSpec(name!, filters, kernel.Value, stride, padding.Value, activation ?? Activation.Identity, alpha, bias, init);
    }

    /// <summary>
    /// <c>"padding"</c>: a whole number, <c>[height, width]</c>, or <c>"same"</c> (stride 1 only: the kernel's size less one,
    /// split with the extra row and column at the bottom and right, as PyTorch pads); 0 if absent.
    /// </summary>
    private static Padding2? ReadPadding(LayerReader reader, Size2? kernel, Size2 stride)
    {
        if (reader.Find("padding") is not JsonProperty property) return new Padding2(0, 0, 0, 0);
        if (property.Value.Kind == JsonKind.String)
        {
            if (!reader.IsWord("padding", SpecWords.SamePadding))
            {
                reader.Unknown(property.Value, "padding", new[] { SpecWords.SamePadding });
                return null;
            }
            if (stride.Height != 1 || stride.Width != 1)
            {
                reader.Conflict(property.Value.Span, SpecMessages.SameNeedsStrideOne);
                return null;
            }
            if (kernel is not { } k) return null;
            int rows = k.Height - 1, columns = k.Width - 1;
            return new Padding2(rows / 2, columns / 2, rows - rows / 2, columns - columns / 2);
        }
        Size2? given = reader.Size("padding", required: false, 0, SpecMessages.AtLeastZero);
        return given is { } p ? new Padding2(p.Height, p.Width, p.Height, p.Width) : null;
    }

    public override bool HasParameters(LayerSpec spec) => true;

    public override LayerMisfit? Misfit(LayerSpec spec, Shape input)
    {
        var conv = (Conv2dLayerSpec)spec;
        if (!input.Spatial) return new LayerMisfit(null, SpecMessages.ImageLayerAfterFlat);
        if (conv.Kernel.Height > input.Height + conv.Padding.Rows || conv.Kernel.Width > input.Width + conv.Padding.Columns)
            return new LayerMisfit("kernel", SpecMessages.KernelTooLarge("kernel", conv.Kernel, input.Height, input.Width, conv.Padding));
        return null;
    }

    /// <summary>PyTorch's floor rule: (in + padding - kernel) / stride + 1 in each direction.</summary>
    public override Shape OutputShape(LayerSpec spec, Shape input)
    {
        var conv = (Conv2dLayerSpec)spec;
        return Shape.Image(
            conv.Filters,
            (input.Height + conv.Padding.Rows - conv.Kernel.Height) / conv.Stride.Height + 1,
            (input.Width + conv.Padding.Columns - conv.Kernel.Width) / conv.Stride.Width + 1);
    }

    public override long ParameterCount(LayerSpec spec, Shape input)
    {
        var conv = (Conv2dLayerSpec)spec;
        return (long)conv.Filters * input.Channels * conv.Kernel.Height * conv.Kernel.Width + (conv.HasBias ? conv.Filters : 0);
    }

    public override Activation OutputActivation(LayerSpec spec) => ((Conv2dLayerSpec)spec).Activation;

    public override bool MasksZeroInputs(LayerSpec spec, bool outputMasked) => true;

    public override RowLayout OutputLayout(LayerSpec spec, RowLayout input) => RowLayout.ChannelsLast;

    public override string Describe(LayerSpec spec)
    {
        var conv = (Conv2dLayerSpec)spec;
        string part = $"conv {Literals.Int(conv.Filters)} {conv.Kernel}";
        if (conv.Activation != Activation.Identity) part += " " + SpecWords.Activations.Of(conv.Activation);
        return part;
    }

    public override string Architecture(LayerSpec spec)
    {
        var conv = (Conv2dLayerSpec)spec;
        string part = $"{conv.Name} conv2d {Literals.Int(conv.Filters)} kernel {conv.Kernel} stride {conv.Stride} padding {conv.Padding} "
            + ActivationCode.Describe(conv.Activation, conv.Alpha);
        return conv.HasBias ? part : part + " no-bias";
    }

    public override LayerPlan Plan(LayerSpec spec, LayerContext context)
    {
        var conv = (Conv2dLayerSpec)spec;
        LayerFlow flow = context.Flow;
        string pascal = Identifiers.Pascal(context.Name), camel = Identifiers.Camel(context.Name);
        Shape input = context.Input, output = OutputShape(spec, input);
        string @out = flow.Width;
        int kh = conv.Kernel.Height, kw = conv.Kernel.Width, ci = input.Channels, co = conv.Filters;
        var tensors = new List<TensorPlan>
        {
            new("_" + camel + "W", context.Name + ".weight", null, $"{pascal}OutC, {pascal}InC, {pascal}KH, {pascal}KW",
                $"{pascal}KH * {pascal}KW * {pascal}InC * {pascal}OutC",
                new EquatableArray<int>(new[] { co, ci, kh, kw }),
                new LayoutPlan(new EquatableArray<int>(new[] { co, ci, kh, kw }), new EquatableArray<int>(new[] { 2, 3, 1, 0 })),
                $"[{kh}, {kw}, {ci}, {co}] row-major [kh, kw, in, out]"),
        };
        if (conv.HasBias)
            tensors.Add(new TensorPlan("_" + camel + "B", context.Name + ".bias", pascal + "Bias", pascal + "OutC", pascal + "OutC",
                new EquatableArray<int>(new[] { co }), null, $"[{co}]"));
        var buffers = new List<BufferPlan> { new(flow.Output, @out), new(flow.Gradient, @out) };
        string? z = null;
        if (ActivationCode.NeedsPreActivation(conv.Activation))
        {
            z = camel + "Z";
            buffers.Add(new BufferPlan(z, @out));
        }
        // The input's nonzero values, listed by the forward pass and read again by the weight gradient.
        buffers.Add(new BufferPlan(camel + "Channel", pascal + "In", "int"));
        buffers.Add(new BufferPlan(camel + "Value", pascal + "In"));
        buffers.Add(new BufferPlan(camel + "Count", $"{pascal}InH * {pascal}InW", "int"));
        bool pass = conv.Activation switch
        {
            Activation.Identity => false,
            Activation.Relu => flow.IsOutput || !context.ConsumerMasksZeros,
            _ => true,
        };
        string formula = conv.Activation == Activation.Identity ? "y = z" : $"y = {SpecWords.Activations.Of(conv.Activation)}(z)";
        return new Conv2dPlan(
            context.Name,
            flow,
            new EquatableArray<BufferPlan>(buffers),
            $"[B, {output.Height}, {output.Width}, {output.Channels}] (channels last), {formula}",
            new EquatableArray<TensorPlan>(tensors),
            pascal,
            input,
            context.InputLayout,
            output,
            conv.Kernel,
            conv.Stride,
            conv.Padding,
            conv.Activation,
            conv.Alpha,
            conv.Activation == Activation.LeakyRelu ? pascal + "Alpha" : null,
            conv.HasBias,
            conv.Init,
            z,
            pass,
            context.InputIsReluOutput && flow.NeedsInputGradient);
    }

    public override void EmitConstants(SourceWriter w, LayerPlan plan)
    {
        var p = (Conv2dPlan)plan;
        w.Line($"private const int {p.InC} = {p.Input.Channels}, {p.InH} = {p.Input.Height}, {p.InW} = {p.Input.Width}, {p.In} = {p.InC} * {p.InH} * {p.InW};");
        w.Line($"private const int {p.OutC} = {p.Output.Channels}, {p.OutH} = {p.Output.Height}, {p.OutW} = {p.Output.Width}, {p.Out} = {p.OutC} * {p.OutH} * {p.OutW};");
        w.Line($"private const int {p.KH} = {p.Kernel.Height}, {p.KW} = {p.Kernel.Width}, {p.Taps} = {p.KH} * {p.KW} * {p.InC}; // kernel; the values under it");
        w.Line($"private const int {p.SH} = {p.Stride.Height}, {p.SW} = {p.Stride.Width}, {p.PT} = {p.Padding.Top}, {p.PL} = {p.Padding.Left}; // stride, padding (top, left)");
        if (p.AlphaConstant is not null) w.Line($"private const float {p.AlphaConstant} = {Literals.Float(p.Alpha)}; // leaky_relu's slope below 0");
    }

    public override void EmitFields(SourceWriter w, LayerPlan plan)
    {
        var p = (Conv2dPlan)plan;
        if (p.Transposed is { } transposed)
            w.Line($"private readonly float[] {transposed} = new float[{p.Taps} * {p.OutC}]; // {p.Weight.TorchName} as [out, kh, kw, in] for dx, made before each batch");
    }

    public override void EmitBatchPreparation(SourceWriter w, LayerPlan plan)
    {
        var p = (Conv2dPlan)plan;
        if (p.Transposed is { } transposed) w.Line($"Images.Transpose({p.Weight.Field}, {transposed}, {p.Taps}, {p.OutC}); // {p.Name}'s filters for dx");
    }

    public override void EmitInitialization(SourceWriter w, LayerPlan plan)
    {
        var p = (Conv2dPlan)plan;
        string fanIn = $"{p.InC} * {p.KH} * {p.KW}", fanOut = $"{p.OutC} * {p.KH} * {p.KW}";
        ParameterInitialization.Emit(w, p.Name, p.Init, p.Weight.Field, p.Bias?.Field, fanIn, fanOut,
            $"Initializers.Uniform(random, {p.Weight.Field}, {p.Weight.LayoutField}, {{0}})",
            $"Initializers.Normal(random, {p.Weight.Field}, {p.Weight.LayoutField}, {{0}})",
            "nn.Conv2d");
    }

    public override void EmitTrainingForward(SourceWriter w, LayerPlan plan)
    {
        var p = (Conv2dPlan)plan;
        w.Line(ForwardCall(p, p.Flow.Input, p.Flow.Output, p.PreActivation ?? "", $"{p.ListChannel}, {p.ListValue}, {p.ListCount}"));
    }

    public override void EmitInferenceForward(SourceWriter w, LayerPlan plan)
    {
        var p = (Conv2dPlan)plan;
        w.Line(ForwardCall(p, p.Flow.InferenceInput, p.Flow.InferenceOutput, "default", "default, default, default"));
    }

    private static string ForwardCall(Conv2dPlan p, string x, string y, string z, string lists)
    {
        var args = new List<string> { x, p.Weight.Field };
        if (p.Bias is { } bias) args.Add(bias.Field);
        args.Add(y);
        if (p.PreActivation is not null) args.Add(z);
        args.Add(lists);
        args.Add("n");
        return $"{p.Pascal}Forward({string.Join(", ", args)});";
    }

    public override void EmitTrainingBackward(SourceWriter w, LayerPlan plan)
    {
        var p = (Conv2dPlan)plan;
        LayerFlow flow = p.Flow;
        if (p.ActivationPass) w.Line($"{p.Pascal}ActivationBackward({flow.Gradient}, {(p.PassReadsOutput ? flow.Output : p.PreActivation)}, n * {p.Out});");
        if (flow.InputGradient is not { } dx) return;
        w.Line($"{p.Pascal}InputGradient({(p.MaskInputGradient ? flow.Input + ", " : "")}{flow.Gradient}, {p.Transposed}, {dx}, n);");
    }

    public override void EmitWeightGradients(SourceWriter w, LayerPlan plan)
    {
        var p = (Conv2dPlan)plan;
        w.Line($"{p.Pascal}WeightGradient({p.Flow.Gradient}, {p.ListChannel}, {p.ListValue}, {p.ListCount}, {p.Weight.Gradient}"
            + $"{(p.Bias is { } bias ? ", " + bias.Gradient : "")}, rows, shard, shards);");
    }

    public override IEnumerable<string> WeightGradientBuffers(LayerPlan plan)
    {
        var p = (Conv2dPlan)plan;
        return new[] { p.Flow.Gradient, p.ListChannel, p.ListValue, p.ListCount };
    }

    public override void EmitKernels(SourceWriter w, LayerPlan plan)
    {
        var p = (Conv2dPlan)plan;
        ConvKernels.EmitForward(w, p);
        if (p.ActivationPass) ActivationCode.EmitPass(w, p.Name, p.Pascal, p.Activation, p.AlphaConstant, p.PassReadsOutput);
        if (p.Flow.NeedsInputGradient) ConvKernels.EmitInputGradient(w, p);
        ConvKernels.EmitWeightGradient(w, p);
    }
}
