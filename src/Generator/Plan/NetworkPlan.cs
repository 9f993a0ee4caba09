namespace NetGen.Generator.Plan;

/// <summary>
/// Every decision about one generated network, made once by <see cref="Planner"/>: the class and its core, sizes,
/// the layers in order with their buffers and data flow, the tensors, the loss and the optimizer. The emitters print it.
/// </summary>
/// <param name="Description">The network in one line, for comments: <c>784 -> 128 relu -> 10, cross-entropy loss, Adam</c>.</param>
/// <param name="Architecture">What a model file's tensors mean; model files carry it (and its hash) to be matched.</param>
/// <param name="WidestRow">The widest row of any batch buffer, which bounds the batch size a network may be built for.</param>
internal sealed record NetworkPlan(
    ClassPlan Class,
    string NetworkName,
    string Description,
    string Architecture,
    string SpecHash,
    Language.Shape Input,
    int OutputSize,
    long ParameterCount,
    int DefaultBatchSize,
    int DefaultEpochs,
    int DefaultSeed,
    FitDefaultsPlan FitDefaults,
    long WidestRow,
    EquatableArray<LayerPlan> Layers,
    EquatableArray<TensorPlan> Tensors,
    LossPlan Loss,
    OptimizerPlan Optimizer,
    InferencePlan Inference,
    bool HasDropout)
{
    /// <summary>The values in an input row.</summary>
    public int InputSize => (int)Input.Size;
}

/// <summary>The fit loop's settings from <c>"training"</c> beyond batch size, epochs and seed; all null when the spec gives none.</summary>
internal sealed record FitDefaultsPlan(double? ValidationSplit, Language.EarlyStopping? EarlyStopping, double? ClipNorm, Language.Schedule? Schedule)
{
    public bool IsEmpty => ValidationSplit is null && EarlyStopping is null && ClipNorm is null && Schedule is null;
}
