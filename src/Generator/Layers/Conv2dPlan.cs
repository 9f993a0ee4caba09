using NetGen.Generator.Emit;
using NetGen.Generator.Language;
using NetGen.Generator.Plan;

namespace NetGen.Generator.Layers;

/// <summary>A conv2d layer as generated, with the activation it fuses: <c>y = activation(conv(x, W) + b)</c>, written channels last.</summary>
/// <param name="Pascal">The prefix of its members and kernels, e.g. <c>Conv1</c>.</param>
/// <param name="Input">Its input image; <paramref name="InputLayout"/> says how a row holds it.</param>
/// <param name="Output">Its output image (channels = filters), written channels last.</param>
/// <param name="AlphaConstant">The constant of a leaky ReLU's slope, or null.</param>
/// <param name="PreActivation">The buffer of the pre-activations, kept in training for activations whose derivative needs them; or null.</param>
/// <param name="ActivationPass">Whether the backward pass first turns dLoss/dy into dLoss/dz in place.</param>
/// <param name="MaskInputGradient">Whether its input is a ReLU's output: dx = 0 where x = 0, and those inputs are skipped.</param>
internal sealed record Conv2dPlan(
    string Name,
    LayerFlow Flow,
    EquatableArray<BufferPlan> Buffers,
    string BufferNote,
    EquatableArray<TensorPlan> Tensors,
    string Pascal,
    Shape Input,
    RowLayout InputLayout,
    Shape Output,
    Size2 Kernel,
    Size2 Stride,
    Padding2 Padding,
    Activation Activation,
    float Alpha,
    string? AlphaConstant,
    bool HasBias,
    Initializer Init,
    string? PreActivation,
    bool ActivationPass,
    bool MaskInputGradient) : LayerPlan(Name, Flow, Buffers, BufferNote, Tensors)
{
    public override LayerUnit Unit => Conv2dLayer.Instance;

    public TensorPlan Weight => Tensors[0];

    public TensorPlan? Bias => HasBias ? Tensors[1] : null;

    public bool PassReadsOutput => Activation is Activation.Relu or Activation.LeakyRelu;

    /// <summary>The constant of the values under the kernel at one output pixel: kernel rows x kernel columns x input channels.</summary>
    public string Taps => Pascal + "Taps";

    /// <summary>The field of the weight transposed to <c>[out, kh, kw, in]</c> for the input gradient, made once per batch; or null.</summary>
    public string? Transposed => Flow.NeedsInputGradient ? Weight.Field + "T" : null;

    /// <summary>The buffers where the forward pass lists the input's nonzero values per row, for the weight gradient.</summary>
    public string ListChannel => Identifiers.Camel(Name) + "Channel";

    public string ListValue => Identifiers.Camel(Name) + "Value";

    public string ListCount => Identifiers.Camel(Name) + "Count";

    // The names of its constants.
    public string InC => Pascal + "InC";
    public string InH => Pascal + "InH";
    public string InW => Pascal + "InW";
    public string OutC => Pascal + "OutC";
    public string OutH => Pascal + "OutH";
    public string OutW => Pascal + "OutW";
    public string KH => Pascal + "KH";
    public string KW => Pascal + "KW";
    public string SH => Pascal + "SH";
    public string SW => Pascal + "SW";
    public string PT => Pascal + "PT";
    public string PL => Pascal + "PL";
    public string In => Pascal + "In";
    public string Out => Flow.Width;
}
