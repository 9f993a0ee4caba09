using NetGen.Generator.Language;

namespace NetGen.Generator.Model;

/// <summary>A dense (fully connected) layer: <c>y = activation(x W + b)</c>.</summary>
/// <param name="Name">The PyTorch-style name (<c>fc1</c>, or the spec's <c>"name"</c>).</param>
/// <param name="Alpha">The negative slope of <see cref="Activation.LeakyRelu"/> (0 otherwise).</param>
internal sealed record DenseLayerSpec(
    string Name,
    int Units,
    Activation Activation = Activation.Identity,
    float Alpha = 0f,
    bool HasBias = true,
    Initializer Init = Initializer.Default) : LayerSpec;
