namespace NetGen.Generator.Model;

/// <summary>
/// Batch normalization (PyTorch <c>nn.BatchNorm2d</c> after an image layer, <c>nn.BatchNorm1d</c> after a flat one): each
/// channel normalized by the batch's mean and variance in training and by the running ones otherwise, then scaled and
/// shifted by its learnable weight and bias. Momentum 0.1 and eps 1e-5, PyTorch's defaults.
/// </summary>
internal sealed record BatchNormLayerSpec(string Name) : LayerSpec;
