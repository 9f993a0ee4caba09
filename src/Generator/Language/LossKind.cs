namespace NetGen.Generator.Language;

/// <summary>Loss applied to the last layer's outputs.</summary>
internal enum LossKind
{
    /// <summary>Softmax followed by negative log-likelihood, averaged over the batch (PyTorch <c>CrossEntropyLoss</c>).</summary>
    CrossEntropy,
    /// <summary>Sigmoid + binary cross-entropy on the logit, averaged (PyTorch <c>BCEWithLogitsLoss</c>).</summary>
    BinaryCrossEntropy,
    /// <summary>Mean squared error over all outputs (PyTorch <c>MSELoss</c>).</summary>
    MeanSquaredError,
}
