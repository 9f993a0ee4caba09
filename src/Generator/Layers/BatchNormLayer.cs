using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Language;
using NetGen.Generator.Model;
using NetGen.Generator.Plan;
using NetGen.Generator.Spec;

namespace NetGen.Generator.Layers;

/// <summary>
/// Batch normalization, PyTorch's <c>nn.BatchNorm2d</c> after an image layer and <c>nn.BatchNorm1d</c> after a flat one:
/// <c>y = (x - mean) / sqrt(var + eps) * weight + bias</c> per channel. Training uses the batch's mean and biased variance
/// over every row and pixel, and moves the running ones towards them (momentum 0.1, the running variance with the unbiased
/// batch variance); <c>Forward</c> uses the running ones, as PyTorch's <c>model.eval()</c>.
/// <para>
/// The statistics, and the two sums the backward pass needs, cover the whole batch, so the training pass cannot take all
/// its rows through in one go: it stops at the layer (<see cref="ForwardMeeting"/>, <see cref="BackwardMeeting"/>), every
/// thread sums a share of the channels over all rows, in row order, and the rows go on. The result is the same for every
/// thread count.
/// </para>
/// </summary>
internal sealed class BatchNormLayer : LayerUnit
{
    public static readonly BatchNormLayer Instance = new();

    /// <summary>PyTorch's defaults, fixed: how far a batch moves the running statistics, and what the variance gets added.</summary>
    public const string Momentum = "0.1", Epsilon = "1e-5";

    private BatchNormLayer()
    {
    }

    public override string Type => SpecWords.BatchNormLayer;

    public override IReadOnlyList<string> Properties => SpecWords.BatchNormProperties;

    /// <summary><c>bn1</c>, <c>bn2</c>, ...: counting batch-norm layers.</summary>
    public override string? DefaultName(int ordinal) => "bn" + Literals.Int(ordinal);

    public override string? NameOf(LayerSpec spec) => ((BatchNormLayerSpec)spec).Name;

    public override LayerSpec? Parse(LayerReader reader, string? name) => new BatchNormLayerSpec(name!);

    public override bool HasParameters(LayerSpec spec) => true;

    /// <summary>A weight and a bias per channel.</summary>
    public override long ParameterCount(LayerSpec spec, Shape input) => 2L * input.Channels;

    public override string GradientSuffix => "DY";

    public override string Describe(LayerSpec spec) => "batch_norm";

    public override string Architecture(LayerSpec spec) => $"{((BatchNormLayerSpec)spec).Name} batch_norm";

    public override LayerPlan Plan(LayerSpec spec, LayerContext context)
    {
        LayerFlow flow = context.Flow;
        string pascal = Identifiers.Pascal(context.Name), camel = Identifiers.Camel(context.Name);
        Shape input = context.Input;
        int positions = input.Height * input.Width;
        var dims = new EquatableArray<int>(new[] { input.Channels });
        var tensors = new[]
        {
            new TensorPlan("_" + camel + "W", context.Name + ".weight", pascal + "Weight", pascal + "C", pascal + "C", dims, null, $"[{input.Channels}]"),
            new TensorPlan("_" + camel + "B", context.Name + ".bias", pascal + "Bias", pascal + "C", pascal + "C", dims, null, $"[{input.Channels}]"),
        };
        var buffers = new List<BufferPlan> { new(flow.Output, flow.Width), new(flow.Gradient, flow.Width) };
        // A flat row is one value per channel; an image row channels last has each pixel's channels together: either way
        // channel c is every C-th value. Channels first, each channel's pixels are together.
        bool channelsLast = positions == 1 || input.Channels == 1 || context.InputLayout == RowLayout.ChannelsLast;
        return new BatchNormPlan(
            context.Name,
            flow,
            new EquatableArray<BufferPlan>(buffers),
            $"[B, {input.Compact}], y = batch_norm(x)",
            new EquatableArray<TensorPlan>(tensors),
            pascal,
            camel,
            input.Channels,
            positions,
            input.Spatial,
            channelsLast);
    }

    public override string? ForwardMeeting(LayerPlan plan) => ((BatchNormPlan)plan).Pascal + "Statistics";

    public override string? BackwardMeeting(LayerPlan plan) => ((BatchNormPlan)plan).Pascal + "GradientSums";

    public override IEnumerable<ModelBufferPlan> ModelBuffers(LayerPlan plan)
    {
        var p = (BatchNormPlan)plan;
        return new[] { new ModelBufferPlan(p.RunningMean, p.Name + ".running_mean", p.C), new ModelBufferPlan(p.RunningVar, p.Name + ".running_var", p.C) };
    }

    public override IEnumerable<string> BatchCounters(LayerPlan plan) => new[] { plan.Name + ".num_batches_tracked" };

    public override void EmitConstants(SourceWriter w, LayerPlan plan)
    {
        var p = (BatchNormPlan)plan;
        w.Line($"private const int {p.C} = {Literals.Int(p.Channels)}, {p.HW} = {Literals.Int(p.Positions)}, {p.Out} = {p.C} * {p.HW}; // channels, values per channel in a row");
        w.Line($"private const double {p.Pascal}Momentum = {Momentum}, {p.Pascal}Epsilon = {Epsilon}; // PyTorch's defaults");
    }

    public override void EmitFields(SourceWriter w, LayerPlan plan)
    {
        var p = (BatchNormPlan)plan;
        w.Line($"// {p.Name}: the running mean and variance (saved in model files), and per channel for the batch in training: its mean,");
        w.Line("// 1/sqrt(variance + eps), y = x * scale + shift, and the backward pass's mean of dy and (sum of (x - mean) dy) / (var + eps) / N.");
        w.Line($"private readonly float[] {p.RunningMean} = new float[{p.C}], {p.RunningVar} = new float[{p.C}];");
        w.Line($"private readonly float[] {p.Mean} = new float[{p.C}], {p.InvStd} = new float[{p.C}], {p.Scale} = new float[{p.C}], {p.Shift} = new float[{p.C}];");
        w.Line($"private readonly float[] {p.MeanDy} = new float[{p.C}], {p.Projection} = new float[{p.C}];");
        w.Line($"private readonly double[] {p.Sums} = new double[{p.C}], {p.Products} = new double[{p.C}]; // per channel sums, in double");
    }

    /// <summary>PyTorch's <c>reset_parameters</c>: weight 1, bias 0, running mean 0, running variance 1; nothing drawn.</summary>
    public override void EmitInitialization(SourceWriter w, LayerPlan plan)
    {
        var p = (BatchNormPlan)plan;
        w.Line($"// {p.Name}: as nn.{p.TorchClass}, weight 1, bias 0, running mean 0, running variance 1 (no random draws)");
        w.Line($"Array.Fill({p.Weight.Field}, 1f);");
        w.Line($"Array.Clear({p.Bias.Field});");
        w.Line($"Array.Clear({p.RunningMean});");
        w.Line($"Array.Fill({p.RunningVar}, 1f);");
    }

    /// <summary>A flat batch norm needs two rows to have a variance (PyTorch: "Expected more than 1 value per channel when training").</summary>
    public override void EmitBatchPreparation(SourceWriter w, LayerPlan plan)
    {
        var p = (BatchNormPlan)plan;
        if (p.Positions == 1)
            w.Line($"if (rows < 2) throw new ArgumentException(\"{p.Name} normalizes each value over the batch in training: a batch needs at least 2 rows.\", nameof(inputs));");
    }

    public override void EmitTrainingForward(SourceWriter w, LayerPlan plan)
    {
        var p = (BatchNormPlan)plan;
        w.Line($"{p.Pascal}Forward({p.Flow.Input}, {p.Scale}, {p.Shift}, {p.Flow.Output}, n); // with the batch's statistics ({p.Pascal}Statistics)");
    }

    public override void EmitInferenceForward(SourceWriter w, LayerPlan plan)
    {
        var p = (BatchNormPlan)plan;
        w.Line($"{p.Pascal}Evaluate({p.Flow.InferenceInput}, {p.Weight.Field}, {p.Bias.Field}, {p.RunningMean}, {p.RunningVar}, {p.Flow.InferenceOutput}, n);");
    }

    public override void EmitTrainingBackward(SourceWriter w, LayerPlan plan)
    {
        var p = (BatchNormPlan)plan;
        if (p.Flow.InputGradient is not { } dx) return; // no layer before has parameters
        w.Line($"{p.Pascal}InputGradient({p.Flow.Input}, {p.Flow.Gradient}, {p.Mean}, {p.InvStd}, {p.Weight.Field}, {p.MeanDy}, {p.Projection}, {dx}, n);");
    }

    public override void EmitKernels(SourceWriter w, LayerPlan plan) => BatchNormKernels.Emit(w, (BatchNormPlan)plan);
}

/// <summary>A batch-norm layer as generated.</summary>
/// <param name="Pascal">The prefix of its members and kernels, e.g. <c>Bn1</c>.</param>
/// <param name="Camel">The prefix of its fields, e.g. <c>bn1</c>.</param>
/// <param name="Channels">The channels it normalizes (a flat row's values are channels of one pixel).</param>
/// <param name="Positions">The values of a channel in a row: an image's pixels, or 1.</param>
/// <param name="Spatial">Whether it follows an image layer (BatchNorm2d) rather than a flat one (BatchNorm1d).</param>
/// <param name="ChannelsLast">Whether a row holds each pixel's channels together (channel c is every C-th value).</param>
internal sealed record BatchNormPlan(
    string Name,
    LayerFlow Flow,
    EquatableArray<BufferPlan> Buffers,
    string BufferNote,
    EquatableArray<TensorPlan> Tensors,
    string Pascal,
    string Camel,
    int Channels,
    int Positions,
    bool Spatial,
    bool ChannelsLast) : LayerPlan(Name, Flow, Buffers, BufferNote, Tensors)
{
    public override LayerUnit Unit => BatchNormLayer.Instance;

    public TensorPlan Weight => Tensors[0];
    public TensorPlan Bias => Tensors[1];
    public string TorchClass => Spatial ? "BatchNorm2d" : "BatchNorm1d";

    // The names of its constants.
    public string C => Pascal + "C";
    public string HW => Pascal + "HW";
    public string Out => Flow.Width;

    // The names of its fields.
    public string RunningMean => $"_{Camel}RunningMean";
    public string RunningVar => $"_{Camel}RunningVar";
    public string Mean => $"_{Camel}Mean";
    public string InvStd => $"_{Camel}InvStd";
    public string Scale => $"_{Camel}Scale";
    public string Shift => $"_{Camel}Shift";
    public string MeanDy => $"_{Camel}MeanDy";
    public string Projection => $"_{Camel}Projection";
    public string Sums => $"_{Camel}Sums";
    public string Products => $"_{Camel}Products";

    /// <summary>The field of its input rows over the whole batch (a batch norm always follows a layer with rows of its own).</summary>
    public string InputField => BufferPlan.FieldOf(Flow.Input);

    /// <summary>The field of dLoss/d(its output) over the whole batch.</summary>
    public string GradientField => BufferPlan.FieldOf(Flow.Gradient);
}
