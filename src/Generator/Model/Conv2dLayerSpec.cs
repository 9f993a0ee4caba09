using NetGen.Generator.Language;

namespace NetGen.Generator.Model;

/// <summary>
/// A 2-D convolution over an image (PyTorch <c>nn.Conv2d</c>), then its activation: <c>y = activation(conv(x, W) + b)</c>.
/// </summary>
/// <param name="Name">The PyTorch-style name (<c>conv1</c>, or the spec's <c>"name"</c>).</param>
/// <param name="Filters">Output channels.</param>
/// <param name="Padding">Zeros added around the input: top, left, bottom, right (<c>"same"</c> resolved; with an even kernel
/// the extra row and column go at the bottom and right, as PyTorch pads).</param>
internal sealed record Conv2dLayerSpec(
    string Name,
    int Filters,
    Size2 Kernel,
    Size2 Stride,
    Padding2 Padding,
    Activation Activation = Activation.Identity,
    float Alpha = 0f,
    bool HasBias = true,
    Initializer Init = Initializer.Default) : LayerSpec;
