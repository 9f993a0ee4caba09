using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>
/// How a tensor's values lie in its array, which the generated kernels choose for speed while model files and
/// <see cref="NamedTensor"/>'s shape stay in PyTorch's row-major order. <see cref="Dims"/> is PyTorch's shape with any axis
/// split into several (a dense layer's <c>[out, in]</c> weight after an image is <c>[out, channels, height, width]</c>);
/// <see cref="Order"/> lists those axes outermost first in the array. A convolution's weight <c>[out, in, kh, kw]</c> stored
/// <c>[kh, kw, in, out]</c> has order <c>[2, 3, 1, 0]</c>.
/// </summary>
public sealed class TensorLayout
{
    private readonly int[] _dims, _order;
    private readonly int[] _strides; // the array step of each axis of Dims

    /// <summary>A layout of <paramref name="dims"/> (PyTorch's axes, maybe split) stored in <paramref name="order"/>.</summary>
    public TensorLayout(int[] dims, int[] order)
    {
        ArgumentNullException.ThrowIfNull(dims);
        ArgumentNullException.ThrowIfNull(order);
        if (order.Length != dims.Length)
            throw new ArgumentException($"The order names {order.Length} axes but the layout has {dims.Length}.", nameof(order));
        var seen = new bool[dims.Length];
        foreach (int axis in order)
        {
            if ((uint)axis >= (uint)dims.Length || seen[axis])
                throw new ArgumentException($"The order [{string.Join(", ", order)}] is not a permutation of the {dims.Length} axes.", nameof(order));
            seen[axis] = true;
        }
        long count = 1;
        foreach (int d in dims)
        {
            if (d < 0) throw new ArgumentException($"An axis of [{string.Join(", ", dims)}] is negative.", nameof(dims));
            count *= d;
        }
        if (count > int.MaxValue) throw new ArgumentException("The layout holds more values than an array can.", nameof(dims));
        _dims = (int[])dims.Clone();
        _order = (int[])order.Clone();
        _strides = new int[dims.Length];
        int stride = 1;
        for (int i = order.Length - 1; i >= 0; i--)
        {
            _strides[order[i]] = stride;
            stride *= dims[order[i]];
        }
        Count = (int)count;
        IsRowMajor = true;
        for (int i = 0; i < order.Length; i++) IsRowMajor &= order[i] == i;
    }

    /// <summary>PyTorch's shape stored as it reads: the default of every tensor but a matrix.</summary>
    public static TensorLayout RowMajor(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var order = new int[shape.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        return new TensorLayout(shape, order);
    }

    /// <summary>
    /// A tensor's layout when the network gives none: a matrix <c>[out, in]</c> column-major (MathNet's layout, the
    /// <c>[in, out]</c> row-major array the dense kernels read), any other tensor row-major.
    /// </summary>
    public static TensorLayout Default(int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return shape.Length == 2 ? new TensorLayout(shape, new[] { 1, 0 }) : RowMajor(shape);
    }

    /// <summary>PyTorch's axes, any of them split into several.</summary>
    public IReadOnlyList<int> Dims => _dims;

    /// <summary>The axes of <see cref="Dims"/> in the array's order, outermost first.</summary>
    public IReadOnlyList<int> Order => _order;

    /// <summary>The number of values.</summary>
    public int Count { get; }

    /// <summary>Whether the array holds the values in PyTorch's row-major order.</summary>
    public bool IsRowMajor { get; }

    /// <summary>Whether the layout can hold a tensor of PyTorch shape <paramref name="shape"/>: each of its axes split into consecutive axes of <see cref="Dims"/>.</summary>
    public bool Fits(IReadOnlyList<int> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        int d = 0;
        foreach (int size in shape)
        {
            if (d == _dims.Length) return false;
            long product = _dims[d++];
            while (product < size && d < _dims.Length) product *= _dims[d++];
            if (product != size) return false;
        }
        while (d < _dims.Length && _dims[d] == 1) d++; // trailing axes of 1 split nothing
        return d == _dims.Length;
    }

    /// <summary>The array index of the value at <paramref name="position"/> in PyTorch's row-major order.</summary>
    public int IndexOf(int position)
    {
        if ((uint)position >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(position));
        int index = 0;
        for (int axis = _dims.Length - 1; axis >= 0; axis--)
        {
            int size = _dims[axis];
            index += position % size * _strides[axis];
            position /= size;
        }
        return index;
    }

    /// <summary>The position in PyTorch's row-major order of the value at array index <paramref name="index"/>.</summary>
    public int PositionOf(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
        int position = 0;
        for (int axis = 0; axis < _dims.Length; axis++) position = position * _dims[axis] + index / _strides[axis] % _dims[axis];
        return position;
    }

    /// <summary>A row-major position as PyTorch's index, e.g. <c>[3, 0, 2, 1]</c> of shape <c>[16, 1, 3, 3]</c>.</summary>
    internal static string Describe(int[] shape, long position)
    {
        var index = new long[shape.Length];
        for (int axis = shape.Length - 1; axis >= 0; axis--)
        {
            index[axis] = shape[axis] == 0 ? 0 : position % shape[axis];
            position = shape[axis] == 0 ? 0 : position / shape[axis];
        }
        return "[" + string.Join(", ", index) + "]";
    }

    /// <summary>Copies values from PyTorch's row-major order (<paramref name="rowMajor"/>) into an array of this layout.</summary>
    public void FromRowMajor(ReadOnlySpan<float> rowMajor, Span<float> values) => Permute(rowMajor, values, intoLayout: true);

    /// <summary>Copies values of an array of this layout into PyTorch's row-major order (<paramref name="rowMajor"/>).</summary>
    public void ToRowMajor(ReadOnlySpan<float> values, Span<float> rowMajor) => Permute(values, rowMajor, intoLayout: false);

    /// <summary>
    /// Visits the values in row-major order a run at a time (the innermost axis of <see cref="Dims"/>, whose array index steps by
    /// its stride) and copies each between the two orders.
    /// </summary>
    private void Permute(ReadOnlySpan<float> source, Span<float> destination, bool intoLayout)
    {
        if (source.Length < Count || destination.Length < Count)
            throw new ArgumentException($"The layout holds {Count} values; an array is shorter.");
        if (IsRowMajor)
        {
            source.Slice(0, Count).CopyTo(destination);
            return;
        }
        int last = _dims.Length - 1;
        Span<int> at = stackalloc int[_dims.Length];
        at.Clear();
        int length = _dims[last], step = _strides[last];
        for (int position = 0; position < Count; position += length)
        {
            int index = 0;
            for (int axis = 0; axis < last; axis++) index += at[axis] * _strides[axis];
            for (int k = 0; k < length; k++)
            {
                if (intoLayout) destination[index + k * step] = source[position + k];
                else destination[position + k] = source[index + k * step];
            }
            for (int axis = last - 1; axis >= 0; axis--)
            {
                if (++at[axis] < _dims[axis]) break;
                at[axis] = 0;
            }
        }
    }
}
