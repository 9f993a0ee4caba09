using NetGen.Generator.Language;
using NetGen.Generator.Plan;

namespace NetGen.Generator.Layers;

/// <summary>A dense layer as generated, with the activation it fuses: <c>y = activation(x W + b)</c>.</summary>
/// <param name="Pascal">The prefix of its members and kernels, e.g. <c>Fc1</c>.</param>
/// <param name="In">The constant of its input width, e.g. <c>Fc1In</c>; <see cref="LayerFlow.Width"/> holds the output width's.</param>
/// <param name="AlphaConstant">The constant of a leaky ReLU's slope, e.g. <c>Fc1Alpha</c>, or null.</param>
/// <param name="PreActivation">The buffer of the pre-activations z, kept in training for activations whose derivative needs them; or null.</param>
/// <param name="ActivationPass">Whether the backward pass first turns dLoss/dy into dLoss/dz in place (not for identity, nor for a ReLU
/// whose zeros the layer after it already gives a zero gradient).</param>
/// <param name="MaskInputGradient">Whether its input is a ReLU's output: the backward pass writes dx = 0 where x = 0 and skips those rows.</param>
/// <param name="BlockedForward">Whether the forward pass has the register-blocked Vector256 kernel (it lists the nonzero inputs on the stack).</param>
internal sealed record DensePlan(
    string Name,
    LayerFlow Flow,
    EquatableArray<BufferPlan> Buffers,
    string BufferNote,
    EquatableArray<TensorPlan> Tensors,
    string Pascal,
    int Inputs,
    int Units,
    string In,
    Activation Activation,
    float Alpha,
    string? AlphaConstant,
    bool HasBias,
    Initializer Init,
    string? PreActivation,
    bool ActivationPass,
    bool MaskInputGradient,
    bool BlockedForward) : LayerPlan(Name, Flow, Buffers, BufferNote, Tensors)
{
    public override LayerUnit Unit => DenseLayer.Instance;

    public string Out => Flow.Width;

    public TensorPlan Weight => Tensors[0];

    public TensorPlan? Bias => HasBias ? Tensors[1] : null;

    /// <summary>The activation pass reads the outputs' signs (ReLU, leaky ReLU), else the pre-activations.</summary>
    public bool PassReadsOutput => Activation is Activation.Relu or Activation.LeakyRelu;
}
