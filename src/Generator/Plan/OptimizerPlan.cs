namespace NetGen.Generator.Plan;

/// <summary>
/// The optimizer step: which update rule each tensor gets (a runtime kernel), its hyper-parameters as constants,
/// and the per-tensor state it keeps.
/// </summary>
/// <param name="Description">For comments: <c>Adam</c>, <c>SGD with Nesterov momentum</c>.</param>
/// <param name="ArchitectureName">For the architecture description: <c>adam</c>, <c>sgd momentum</c> (the kind of state a file holds).</param>
/// <param name="L2">Whether the weight decay is added to the gradient (Adam's and SGD's weight_decay).</param>
/// <param name="Beta1">The spec's decimal beta1 (Adam).</param>
/// <param name="State">The state arrays of each tensor, e.g. <c>M</c>/<c>exp_avg</c> and <c>V</c>/<c>exp_avg_sq</c>.</param>
internal sealed record OptimizerPlan(
    UpdateRule Rule,
    string Description,
    string ArchitectureName,
    float LearningRate,
    double Beta1,
    double Beta2,
    float Epsilon,
    float WeightDecay,
    bool L2,
    float Momentum,
    bool Nesterov,
    EquatableArray<StatePlan> State)
{
    public bool IsAdam => Rule is UpdateRule.Adam or UpdateRule.AdamW;

    public bool HasMomentumBuffer => Rule == UpdateRule.Sgd && State.Count > 0;
}

/// <summary>The update rules: PyTorch's Adam (L2 decay), AdamW (decoupled decay) and SGD (momentum, Nesterov, L2).</summary>
internal enum UpdateRule
{
    Adam,
    AdamW,
    Sgd,
}

/// <summary>One state array per tensor: the suffix of its field (<c>_fc1WM</c>) and PyTorch's name (<c>fc1.weight.exp_avg</c>).</summary>
internal sealed record StatePlan(string Suffix, string TorchName);
