using NetGen.Generator.Language;
using NetGen.Generator.Plan;

namespace NetGen.Generator.Layers;

/// <summary>What the planner decided around one layer, for its unit to plan it.</summary>
/// <param name="Name">The layer's name (given, or the kind's default made unique).</param>
/// <param name="Input">The shape of its input rows.</param>
/// <param name="Flow">Where its rows and their gradients are.</param>
/// <param name="InputIsReluOutput">Whether its input rows are a ReLU's outputs (maybe dropped out): a zero input then has a zero gradient.</param>
/// <param name="ConsumerMasksZeros">Whether the layer that reads its output writes a zero gradient wherever that output is 0.</param>
/// <param name="Producer">The layer whose rows an in-place layer works on (null otherwise, or for the network's inputs).</param>
/// <param name="InputLayout">How its input rows hold an image (channels first or last).</param>
internal sealed record LayerContext(string Name, Shape Input, LayerFlow Flow, bool InputIsReluOutput, bool ConsumerMasksZeros, string? Producer,
    RowLayout InputLayout = RowLayout.ChannelsFirst)
{
    /// <summary>The values in an input row.</summary>
    public int InputWidth => (int)Input.Size;
}
