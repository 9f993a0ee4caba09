namespace NetGen.Generator.Plan;

/// <summary>
/// The data flow of one layer: the names of the rows it reads and writes and of their gradients, in a shard of the
/// training pass and in <c>Forward</c>.
/// </summary>
/// <param name="Input">The training pass's local of the input rows: <c>x</c> (the network's inputs) or the layer before's output.</param>
/// <param name="Output">The local of the output rows (an in-place layer's is its input's).</param>
/// <param name="Gradient">The local of dLoss/d(output), written by the layer after (or the loss) before this layer's backward pass.</param>
/// <param name="InputGradient">Where the backward pass writes dLoss/d(input): the layer before's <see cref="Gradient"/>; null
/// when no layer before has parameters, so nobody needs it.</param>
/// <param name="InferenceInput">The expression <c>Forward</c> passes as the input rows of a chunk.</param>
/// <param name="InferenceOutput">The expression <c>Forward</c> passes as the output rows of a chunk.</param>
/// <param name="Width">The constant holding the output row's width, e.g. <c>Fc1Out</c>.</param>
/// <param name="InputWidth">The constant holding the input row's width, e.g. <c>Fc1In</c> or <c>InputSize</c>.</param>
/// <param name="IsOutput">Whether the loss reads this layer's output (the network's outputs).</param>
internal sealed record LayerFlow(
    string Input,
    string Output,
    string Gradient,
    string? InputGradient,
    string InferenceInput,
    string InferenceOutput,
    string InputWidth,
    string Width,
    bool IsOutput)
{
    public bool NeedsInputGradient => InputGradient is not null;
}
