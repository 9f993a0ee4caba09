using NetGen.Generator.Language;

namespace NetGen.Generator.Model;

/// <summary>An activation as a layer of its own (<c>{"type": "activation", "activation": "relu"}</c>), applied value by value.</summary>
/// <param name="Alpha">The negative slope of <see cref="Activation.LeakyRelu"/> (0 otherwise).</param>
internal sealed record ActivationLayerSpec(Activation Activation, float Alpha = 0f) : LayerSpec;
