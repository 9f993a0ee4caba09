using NetGen.Generator.Plan;

namespace NetGen.Generator.Layers;

/// <summary>A dropout layer as generated: in place on the rows of the layer before, with a mask drawn per batch.</summary>
/// <param name="Pascal">The prefix of its members, e.g. <c>Dropout1</c>.</param>
/// <param name="Keep">The buffer of the mask: 0 for a dropped value, 1/(1 - rate) for a kept one.</param>
internal sealed record DropoutPlan(
    string Name,
    LayerFlow Flow,
    EquatableArray<BufferPlan> Buffers,
    string BufferNote,
    string Pascal,
    float Rate,
    float KeepScale,
    string Keep) : LayerPlan(Name, Flow, Buffers, BufferNote, EquatableArray<TensorPlan>.Empty)
{
    public override LayerUnit Unit => DropoutLayer.Instance;

    public string RateConstant => Pascal + "Rate";

    public string ScaleConstant => Pascal + "KeepScale";
}
