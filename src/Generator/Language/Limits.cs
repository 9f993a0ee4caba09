namespace NetGen.Generator.Language;

/// <summary>The limits of what NetGen generates, defined once for the rules that check a spec and the code that relies on them.</summary>
internal static class Limits
{
    /// <summary>The largest network (parameters, all tensors together).</summary>
    public const long MaxParameters = 100_000_000;

    /// <summary>
    /// Values one batch buffer <c>[batch, width]</c> may hold (2^29, under a quarter of int.MaxValue), so its byte count and
    /// every index into it stay below int.MaxValue.
    /// </summary>
    public const long MaxBufferValues = int.MaxValue / 4;

    /// <summary>The largest <c>batch_size</c> a spec may give.</summary>
    public const int MaxBatchSize = 1 << 20;

    /// <summary>The most <c>epochs</c> a spec may give.</summary>
    public const int MaxEpochs = 1_000_000;

    /// <summary>A dense layer with more inputs keeps the portable forward kernel: the blocked one lists its nonzero inputs on the stack.</summary>
    public const int MaxListedInputs = 8192;

    /// <summary>A conv2d layer whose input image holds more values lists its nonzero values in rented arrays, not on the stack.</summary>
    public const int ListedImageOnStack = 4096;

    /// <summary>Hidden activations the thread-safe <c>Forward</c> may keep on the stack, in floats (64 KB); beyond, it rents arrays.</summary>
    public const int ForwardStackFloats = 16 * 1024;

    /// <summary>Rows <c>Forward</c> runs through the layers at a time, at most.</summary>
    public const int ForwardChunkRows = 64;
}
