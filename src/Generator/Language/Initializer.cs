namespace NetGen.Generator.Language;

/// <summary>How a layer's weights (and bias) start.</summary>
internal enum Initializer
{
    /// <summary>PyTorch <c>nn.Linear</c>: weight and bias from U(±1/sqrt(fan_in)).</summary>
    Default,
    XavierUniform,
    KaimingUniform,
    KaimingNormal,
    Zeros,
}
