namespace NetGen.Generator.Language;

/// <summary>The optimizer that updates the parameters (PyTorch's <c>torch.optim</c> class of the same name).</summary>
internal enum OptimizerKind
{
    Adam,
    AdamW,
    Sgd,
}
