namespace NetGen.Generator.Plan;

/// <summary>
/// Rows of floats a layer writes: in training the field <c>float[MaxBatchSize * Width]</c>, sliced per shard into the
/// local <see cref="Name"/>; in <c>Forward</c> a chunk's rows under the same local name.
/// </summary>
/// <param name="Name">The local, e.g. <c>fc1Y</c>; the field is <c>_fc1Y</c>.</param>
/// <param name="Width">The constant holding a row's width, e.g. <c>Fc1Out</c>.</param>
/// <param name="Type">The element type: <c>float</c>, or <c>int</c> for lists of indices.</param>
internal sealed record BufferPlan(string Name, string Width, string Type = "float")
{
    public string Field => FieldOf(Name);

    /// <summary>The field behind the buffer local <paramref name="name"/>, e.g. <c>_conv1Y</c> for <c>conv1Y</c>.</summary>
    public static string FieldOf(string name) => "_" + name;
}
