namespace NetGen.Generator.Model;

/// <summary>Dropout in training: each value of the layer before is zeroed with probability <paramref name="Rate"/>, the rest scaled by 1/(1 - rate).</summary>
internal sealed record DropoutLayerSpec(float Rate) : LayerSpec;
