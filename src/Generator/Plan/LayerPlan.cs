using NetGen.Generator.Layers;

namespace NetGen.Generator.Plan;

/// <summary>
/// One layer as it is generated. A layer kind's own plan derives from this and says how its unit prints it;
/// <see cref="Unit"/> names that unit (a computed property: plans compare by their values only).
/// </summary>
/// <param name="Name">The layer's name (<c>fc1</c>, <c>act1</c>, <c>dropout1</c>), the prefix of its members.</param>
/// <param name="Flow">Where its input and output rows and their gradients are.</param>
/// <param name="Buffers">The training batch buffers it owns (<c>[MaxBatchSize, width]</c> each); in-place layers own only their extras.</param>
/// <param name="BufferNote">The comment on its buffers' declaration, e.g. <c>[B, 128], y = relu(z)</c>.</param>
/// <param name="Tensors">Its trainable tensors, in PyTorch's order.</param>
internal abstract record LayerPlan(string Name, LayerFlow Flow, EquatableArray<BufferPlan> Buffers, string BufferNote, EquatableArray<TensorPlan> Tensors)
{
    public abstract LayerUnit Unit { get; }
}
