namespace NetGen.Generator.Language;

/// <summary>An activation function, applied after a dense layer's affine map or as a layer of its own.</summary>
internal enum Activation
{
    Identity,
    Relu,
    /// <summary><c>z &gt; 0 ? z : alpha z</c> (PyTorch <c>LeakyReLU(negative_slope=alpha)</c>).</summary>
    LeakyRelu,
    Tanh,
    Sigmoid,
    /// <summary>GELU, tanh approximation (PyTorch <c>GELU(approximate="tanh")</c>).</summary>
    Gelu,
    /// <summary><c>log(1 + exp(z))</c>, linear above 20 (PyTorch <c>Softplus()</c>: beta 1, threshold 20).</summary>
    Softplus,
}
