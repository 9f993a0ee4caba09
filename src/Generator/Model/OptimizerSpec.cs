using NetGen.Generator.Language;

namespace NetGen.Generator.Model;

/// <summary>Optimizer hyper-parameters (PyTorch's defaults unless the spec says otherwise).</summary>
/// <param name="Beta1">The spec's decimal value: 1 - beta and beta^t are computed from it in double, as PyTorch does in Python.</param>
/// <param name="WeightDecay">L2 penalty added to the gradient (adam, sgd) or decoupled decay of the weights (adamw).</param>
internal sealed record OptimizerSpec(
    OptimizerKind Kind,
    float LearningRate,
    double Beta1 = SpecDefaults.Beta1,
    double Beta2 = SpecDefaults.Beta2,
    float Epsilon = SpecDefaults.Epsilon,
    float WeightDecay = 0f,
    float Momentum = 0f,
    bool Nesterov = false);
