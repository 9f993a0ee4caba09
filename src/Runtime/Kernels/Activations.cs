using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace NetGen.Kernels;

/// <summary>
/// The scalar activation functions and derivatives of generated networks (ReLU and leaky ReLU are written inline,
/// vectorized). Each follows PyTorch's definition; generated networks call them, they are public for them.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Activations
{
    /// <summary>PyTorch's Softplus threshold (beta 1): above it softplus(z) is z.</summary>
    public const float SoftplusThreshold = 20f;

    // GELU, tanh approximation (PyTorch GELU(approximate="tanh")): 0.5 z (1 + tanh(sqrt(2/pi) (z + 0.044715 z^3))).
    private const float GeluScale = 0.7978845608f, GeluCubic = 0.044715f;

    /// <summary>1 / (1 + e^-z), without overflow for either sign of z.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float z)
    {
        if (z >= 0f) return 1f / (1f + MathF.Exp(-z));
        float e = MathF.Exp(z);
        return e / (1f + e);
    }

    /// <summary>sigmoid'(z) = s (1 - s).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SigmoidDerivative(float z)
    {
        float s = Sigmoid(z);
        return s * (1f - s);
    }

    /// <summary>tanh'(z) = 1 - tanh(z)^2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float TanhDerivative(float z)
    {
        float t = MathF.Tanh(z);
        return 1f - t * t;
    }

    /// <summary>GELU, tanh approximation: 0.5 z (1 + tanh(sqrt(2/pi) (z + 0.044715 z^3))).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Gelu(float z)
    {
        float t = MathF.Tanh(GeluScale * (z + GeluCubic * z * z * z));
        return 0.5f * z * (1f + t);
    }

    /// <summary>The derivative of <see cref="Gelu"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float GeluDerivative(float z)
    {
        float t = MathF.Tanh(GeluScale * (z + GeluCubic * z * z * z));
        return 0.5f * (1f + t) + 0.5f * z * (1f - t * t) * GeluScale * (1f + 3f * GeluCubic * z * z);
    }

    /// <summary>
    /// log(1 + e^z), and z itself above 20 (PyTorch Softplus: beta 1, threshold 20); e^z below -20, where
    /// log(1 + x) = x - x^2/2 + ... is x to float precision.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Softplus(float z) =>
        z > SoftplusThreshold ? z : z < -SoftplusThreshold ? MathF.Exp(z) : (float)Math.Log(1.0 + Math.Exp(z));

    /// <summary>softplus'(z) = sigmoid(z), and 1 above the threshold.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SoftplusDerivative(float z) => z > SoftplusThreshold ? 1f : Sigmoid(z);
}
