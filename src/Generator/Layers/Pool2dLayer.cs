using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Language;
using NetGen.Generator.Model;
using NetGen.Generator.Plan;
using NetGen.Generator.Spec;

namespace NetGen.Generator.Layers;

/// <summary>
/// 2-D pooling, PyTorch's <c>nn.MaxPool2d</c> (<c>"max_pool2d"</c>) and <c>nn.AvgPool2d</c> (<c>"avg_pool2d"</c>) without padding:
/// each channel's windows of <c>"size"</c>, every <c>"stride"</c> (the size if absent), become their largest value or their
/// mean. A max-pool keeps, per output value, which input it took, and sends the gradient there alone (on ties, the first in
/// row-major order, as PyTorch); an average spreads it evenly. One unit per kind.
/// </summary>
internal sealed class Pool2dLayer : LayerUnit
{
    public static readonly Pool2dLayer Max = new(PoolKind.Max), Average = new(PoolKind.Average);

    private readonly PoolKind _kind;

    private Pool2dLayer(PoolKind kind) => _kind = kind;

    public override string Type => _kind == PoolKind.Max ? SpecWords.MaxPool2dLayer : SpecWords.AvgPool2dLayer;

    public override IReadOnlyList<string> Properties => SpecWords.Pool2dProperties;

    /// <summary><c>pool1</c>, <c>pool2</c>, ...: counting pooling layers of both kinds.</summary>
    public override string NamePrefix => "pool";

    public override LayerSpec? Parse(LayerReader reader, string? name)
    {
        Size2? size = reader.Size("size", required: true, 1, SpecMessages.AtLeastOne);
        Size2? stride = reader.Size("stride", required: false, 1, SpecMessages.AtLeastOne);
        if (size is null || (stride is null && reader.Find("stride") is not null)) return null;
        return new Pool2dLayerSpec(_kind, size.Value, stride ?? size.Value);
    }

    public override LayerMisfit? Misfit(LayerSpec spec, Shape input)
    {
        var pool = (Pool2dLayerSpec)spec;
        if (!input.Spatial) return new LayerMisfit(null, SpecMessages.ImageLayerAfterFlat);
        if (pool.Size.Height > input.Height || pool.Size.Width > input.Width)
            return new LayerMisfit("size", SpecMessages.WindowTooLarge(pool.Size, input.Height, input.Width));
        return null;
    }

    /// <summary>PyTorch's floor rule: (in - size) / stride + 1 in each direction; the channels stay.</summary>
    public override Shape OutputShape(LayerSpec spec, Shape input)
    {
        var pool = (Pool2dLayerSpec)spec;
        return Shape.Image(
            input.Channels,
            (input.Height - pool.Size.Height) / pool.Stride.Height + 1,
            (input.Width - pool.Size.Width) / pool.Stride.Width + 1);
    }

    public override bool KeepsInputActivation(LayerSpec spec) => true;

    /// <summary>
    /// A max-pool sends each output's gradient to the input it took: after a ReLU that input is 0 only when the output is 0
    /// too, so where the layer after gives zero outputs a zero gradient, every zero input gets none. A mean sends some to all.
    /// </summary>
    public override bool MasksZeroInputs(LayerSpec spec, bool outputMasked) => _kind == PoolKind.Max && outputMasked;

    public override string GradientSuffix => "DY";

    public override string Describe(LayerSpec spec)
    {
        var pool = (Pool2dLayerSpec)spec;
        return $"{(_kind == PoolKind.Max ? "max" : "avg")}_pool {pool.Size}";
    }

    public override string Architecture(LayerSpec spec)
    {
        var pool = (Pool2dLayerSpec)spec;
        return $"{Type} {pool.Size} stride {pool.Stride}";
    }

    public override LayerPlan Plan(LayerSpec spec, LayerContext context)
    {
        var pool = (Pool2dLayerSpec)spec;
        LayerFlow flow = context.Flow;
        string pascal = Identifiers.Pascal(context.Name);
        Shape output = OutputShape(spec, context.Input);
        var buffers = new List<BufferPlan> { new(flow.Output, flow.Width), new(flow.Gradient, flow.Width) };
        string? argmax = null;
        if (_kind == PoolKind.Max && flow.NeedsInputGradient)
        {
            argmax = Identifiers.Camel(context.Name) + "Argmax";
            buffers.Add(new BufferPlan(argmax, flow.Width, "int"));
        }
        bool last = context.InputLayout == RowLayout.ChannelsLast && context.Input.Channels > 1;
        string dims = last ? $"{output.Height}, {output.Width}, {output.Channels}] (channels last)" : $"{output.Channels}, {output.Height}, {output.Width}]";
        return new Pool2dPlan(
            context.Name,
            flow,
            new EquatableArray<BufferPlan>(buffers),
            $"[B, {dims}, y = {Type}(x, {pool.Size}, stride {pool.Stride})",
            pascal,
            _kind,
            context.Input,
            output,
            pool.Size,
            pool.Stride,
            context.InputLayout,
            argmax);
    }

    public override void EmitConstants(SourceWriter w, LayerPlan plan)
    {
        var p = (Pool2dPlan)plan;
        w.Line($"private const int {p.C} = {p.Input.Channels}, {p.InH} = {p.Input.Height}, {p.InW} = {p.Input.Width}, {p.In} = {p.C} * {p.InH} * {p.InW};");
        w.Line($"private const int {p.OutH} = {p.Output.Height}, {p.OutW} = {p.Output.Width}, {p.Out} = {p.C} * {p.OutH} * {p.OutW};");
        w.Line($"private const int {p.KH} = {p.Size.Height}, {p.KW} = {p.Size.Width}, {p.SH} = {p.Stride.Height}, {p.SW} = {p.Stride.Width}; // window, stride");
    }

    public override void EmitTrainingForward(SourceWriter w, LayerPlan plan)
    {
        var p = (Pool2dPlan)plan;
        w.Line($"{p.Pascal}Forward({p.Flow.Input}, {p.Flow.Output}{(p.Kind == PoolKind.Max ? ", " + (p.Argmax ?? "default") : "")}, n);");
    }

    public override void EmitInferenceForward(SourceWriter w, LayerPlan plan)
    {
        var p = (Pool2dPlan)plan;
        w.Line($"{p.Pascal}Forward({p.Flow.InferenceInput}, {p.Flow.InferenceOutput}{(p.Kind == PoolKind.Max ? ", default" : "")}, n);");
    }

    public override void EmitTrainingBackward(SourceWriter w, LayerPlan plan)
    {
        var p = (Pool2dPlan)plan;
        if (p.Flow.InputGradient is not { } dx) return; // no layer before has parameters
        w.Line($"{p.Pascal}Backward({p.Flow.Gradient}{(p.Argmax is { } argmax ? ", " + argmax : "")}, {dx}, n);");
    }

    public override void EmitKernels(SourceWriter w, LayerPlan plan) => PoolKernels.Emit(w, (Pool2dPlan)plan);
}
