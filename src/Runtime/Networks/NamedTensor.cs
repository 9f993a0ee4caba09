using System;

namespace NetGen;

/// <summary>
/// One named tensor of a generated network, viewed without copying. Shapes are PyTorch's
/// (<c>nn.Linear</c> weight <c>[out, in]</c>, bias <c>[out]</c>, <c>nn.Conv2d</c> weight <c>[out, in, kh, kw]</c>);
/// <see cref="Layout"/> says where each value lies in the arrays. By default a 2-D tensor is stored column-major,
/// which is MathNet's layout and the same memory as the <c>[in, out]</c> row-major array the generated kernels read
/// (element <c>[r, c]</c> is <c>Values[c * Shape[0] + r]</c>), and any other row-major.
/// </summary>
public sealed class NamedTensor
{
    /// <summary>Creates a view over existing arrays in the default layout (<see cref="TensorLayout.Default"/>).</summary>
    public NamedTensor(string name, int[] shape, float[] values, float[]? gradients)
        : this(name, shape, values, gradients, null)
    {
    }

    /// <summary>Creates a view over existing arrays laid out as <paramref name="layout"/> says (null: <see cref="TensorLayout.Default"/>).</summary>
    public NamedTensor(string name, int[] shape, float[] values, float[]? gradients = null, TensorLayout? layout = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(values);
        long count = 1;
        foreach (int d in shape) count *= d;
        if (count != values.Length)
            throw new ArgumentException($"Tensor '{name}': shape holds {count} values but the array has {values.Length}.", nameof(values));
        if (gradients is not null && gradients.Length != values.Length)
            throw new ArgumentException($"Tensor '{name}': gradient array has {gradients.Length} values, expected {values.Length}.", nameof(gradients));
        layout ??= TensorLayout.Default(shape);
        if (!layout.Fits(shape))
            throw new ArgumentException($"Tensor '{name}': a layout of axes [{string.Join(", ", layout.Dims)}] does not hold shape [{string.Join(", ", shape)}].", nameof(layout));
        Name = name;
        Shape = shape;
        Layout = layout;
        Values = values;
        Gradients = gradients;
    }

    /// <summary>PyTorch name, e.g. <c>fc1.weight</c>.</summary>
    public string Name { get; }

    /// <summary>PyTorch shape, e.g. <c>[128, 784]</c>.</summary>
    public int[] Shape { get; }

    /// <summary>Where each value lies in <see cref="Values"/> and <see cref="Gradients"/>.</summary>
    public TensorLayout Layout { get; }

    /// <summary>The network's own value array (writes reach the network).</summary>
    public float[] Values { get; }

    /// <summary>The gradient array laid out like <see cref="Values"/>, or null for optimizer state.</summary>
    public float[]? Gradients { get; }

    /// <summary>Element <c>[row, column]</c> of a 2-D tensor in PyTorch's orientation.</summary>
    public float this[int row, int column]
    {
        get
        {
            if (Shape.Length != 2) throw new InvalidOperationException($"Tensor '{Name}' is not 2-D.");
            if ((uint)row >= (uint)Shape[0] || (uint)column >= (uint)Shape[1]) throw new ArgumentOutOfRangeException(nameof(row));
            return Values[Layout.IndexOf(row * Shape[1] + column)];
        }
    }
}
