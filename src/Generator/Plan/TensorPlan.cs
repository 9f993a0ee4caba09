namespace NetGen.Generator.Plan;

/// <summary>
/// One trainable tensor: its arrays (values, gradients and optimizer state, laid out alike), its PyTorch name and
/// shape, and its MathNet view.
/// </summary>
/// <param name="Field">The values' field, e.g. <c>_fc1W</c>; the gradient is <c>_fc1WGrad</c>, the state <c>_fc1WM</c>, ...</param>
/// <param name="TorchName">PyTorch's name, e.g. <c>fc1.weight</c>.</param>
/// <param name="Property">The public MathNet view, e.g. <c>Fc1Weight</c>.</param>
/// <param name="Shape">PyTorch's shape as constants, e.g. <c>Fc1Out, Fc1In</c>.</param>
/// <param name="Length">The number of values as an expression, e.g. <c>Fc1In * Fc1Out</c>.</param>
/// <param name="Rows">PyTorch's first dimension (out).</param>
/// <param name="Columns">PyTorch's second dimension (in), or 0 for a vector.</param>
internal sealed record TensorPlan(string Field, string TorchName, string Property, string Shape, string Length, int Rows, int Columns)
{
    public bool IsMatrix => Columns > 0;

    public string Gradient => Field + "Grad";

    /// <summary>The local of the gradient a shard writes into (the network's own, or a thread's).</summary>
    public string GradientLocal => Field.Substring(1) + "Grad";

    public string GradientShards => Field + "GradShards";
}
