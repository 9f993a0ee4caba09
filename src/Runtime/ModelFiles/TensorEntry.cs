namespace NetGen;

/// <summary>One tensor as a safetensors header describes it.</summary>
/// <param name="Name">Its name, e.g. <c>fc1.weight</c>.</param>
/// <param name="DType">Its element type as written, e.g. <c>F32</c>.</param>
/// <param name="Shape">Its dimensions, outermost first.</param>
/// <param name="Begin">The offset of its first byte, counted from the first byte after the header.</param>
/// <param name="End">The offset one past its last byte.</param>
internal sealed record TensorEntry(string Name, string DType, long[] Shape, long Begin, long End);
