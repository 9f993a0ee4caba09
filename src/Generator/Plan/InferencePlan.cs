namespace NetGen.Generator.Plan;

/// <summary>How <c>Forward</c> runs: rows per chunk and where the hidden layers' outputs live.</summary>
/// <param name="ChunkRows">Rows passed through the layers at a time.</param>
/// <param name="OnStack">Whether the hidden outputs of a chunk fit on the stack (else they are rented arrays).</param>
/// <param name="Hidden">The local and width of every hidden output <c>Forward</c> keeps per chunk.</param>
internal sealed record InferencePlan(int ChunkRows, bool OnStack, EquatableArray<BufferPlan> Hidden);
