namespace NetGen;

/// <summary>The loss a network trains with (its spec's <c>loss</c>).</summary>
public enum LossKind
{
    /// <summary><c>cross_entropy</c>: softmax of the outputs against a class label (PyTorch's <c>CrossEntropyLoss</c>).</summary>
    CrossEntropy,

    /// <summary><c>binary_cross_entropy</c>: sigmoid of each output against a target in [0, 1] (PyTorch's <c>BCEWithLogitsLoss</c>).</summary>
    BinaryCrossEntropy,

    /// <summary><c>mse</c>: the mean of the squared differences of the outputs and the targets (PyTorch's <c>MSELoss</c>).</summary>
    MeanSquaredError,
}
