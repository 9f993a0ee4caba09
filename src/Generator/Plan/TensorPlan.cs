using System.Linq;

namespace NetGen.Generator.Plan;

/// <summary>
/// One trainable tensor: its arrays (values, gradients and optimizer state, laid out alike), its PyTorch name and
/// shape, how its values lie in memory, and its MathNet view if it has one.
/// </summary>
/// <param name="Field">The values' field, e.g. <c>_fc1W</c>; the gradient is <c>_fc1WGrad</c>, the state <c>_fc1WM</c>, ...</param>
/// <param name="TorchName">PyTorch's name, e.g. <c>fc1.weight</c>.</param>
/// <param name="Property">The public MathNet view (a matrix or a vector), e.g. <c>Fc1Weight</c>; null for a tensor of
/// more dimensions, which has none.</param>
/// <param name="Shape">PyTorch's shape as constants, e.g. <c>Fc1Out, Fc1In</c>.</param>
/// <param name="Length">The number of values as an expression, e.g. <c>Fc1In * Fc1Out</c>.</param>
/// <param name="Dims">PyTorch's shape, e.g. [128, 784].</param>
/// <param name="Layout">How the values lie when not in NamedTensor's default (a matrix [out, in] stored [in, out], anything
/// else row-major): a convolution's weight [out, in, kh, kw] stored [kh, kw, in, out]; null for the default.</param>
/// <param name="StorageNote">How the values lie, for the field's comment, e.g. <c>[784, 128] row-major [in, out]</c>.</param>
internal sealed record TensorPlan(
    string Field,
    string TorchName,
    string? Property,
    string Shape,
    string Length,
    EquatableArray<int> Dims,
    LayoutPlan? Layout,
    string StorageNote)
{
    public bool IsMatrix => Property is not null && Dims.Count == 2;

    public long Count => Dims.Aggregate(1L, (product, d) => product * d);

    /// <summary>PyTorch's shape for documentation: <c>[128, 784]</c>.</summary>
    public string DimsText => "[" + string.Join(", ", Dims) + "]";

    /// <summary>The static field holding its <c>TensorLayout</c>, e.g. <c>Conv1WLayout</c>, or null for the default.</summary>
    public string? LayoutField => Layout is null ? null : char.ToUpperInvariant(Field[1]) + Field.Substring(2) + "Layout";

    public string Gradient => Field + "Grad";
}

/// <summary>
/// A tensor's <c>TensorLayout</c>: PyTorch's axes, any of them split (<paramref name="Dims"/>), and their order in the array,
/// outermost first (<paramref name="Order"/>).
/// </summary>
internal sealed record LayoutPlan(EquatableArray<int> Dims, EquatableArray<int> Order)
{
    public string Expression => $"new TensorLayout(new[] {{ {string.Join(", ", Dims)} }}, new[] {{ {string.Join(", ", Order)} }})";
}
