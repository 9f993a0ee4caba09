using NetGen.Generator.Language;
using NetGen.Generator.Plan;

namespace NetGen.Generator.Layers;

/// <summary>An activation layer the layer before could not fuse: <c>y = activation(x)</c> into rows of its own.</summary>
/// <param name="Pascal">The prefix of its members and kernels, e.g. <c>Act1</c>.</param>
/// <param name="Width">Its rows' width (input and output alike).</param>
/// <param name="AlphaConstant">The constant of a leaky ReLU's slope, e.g. <c>Act1Alpha</c>, or null.</param>
internal sealed record ActivationPlan(
    string Name,
    LayerFlow Flow,
    EquatableArray<BufferPlan> Buffers,
    string BufferNote,
    string Pascal,
    int Width,
    Activation Activation,
    float Alpha,
    string? AlphaConstant) : LayerPlan(Name, Flow, Buffers, BufferNote, EquatableArray<TensorPlan>.Empty)
{
    public override LayerUnit Unit => ActivationLayer.Instance;
}
