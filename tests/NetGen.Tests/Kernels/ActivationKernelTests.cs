using System;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Tests.Kernels;

/// <summary>The scalar activations and their derivatives against their definitions in double and central differences.</summary>
public class ActivationKernelTests
{
    private static readonly float[] Points = { -40f, -20.5f, -19.5f, -3f, -1f, -0.25f, 0f, 0.25f, 1f, 3f, 19.5f, 20.5f, 40f };

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    private static double Gelu(double z) => 0.5 * z * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (z + 0.044715 * z * z * z)));

    private static double Softplus(double z) => z > 20 ? z : Math.Log(1 + Math.Exp(z));

    private static void Close(double expected, float actual, string what)
    {
        Assert.True(Math.Abs(actual - expected) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"{what}: {actual} vs {expected}");
    }

    private static double Difference(Func<double, double> f, double z) => (f(z + 1e-5) - f(z - 1e-5)) / 2e-5;

    [Fact]
    public void Functions_match_their_definitions()
    {
        foreach (float z in Points)
        {
            Close(Sigmoid(z), Activations.Sigmoid(z), $"sigmoid({z})");
            Close(Gelu(z), Activations.Gelu(z), $"gelu({z})");
            Close(Softplus(z), Activations.Softplus(z), $"softplus({z})");
        }
    }

    [Fact]
    public void Derivatives_match_central_differences_of_the_definitions()
    {
        foreach (float z in Points)
        {
            if (Math.Abs(z - 20) < 1) continue; // softplus's threshold is a kink
            Close(Difference(Math.Tanh, z), Activations.TanhDerivative(z), $"tanh'({z})");
            Close(Difference(Sigmoid, z), Activations.SigmoidDerivative(z), $"sigmoid'({z})");
            Close(Difference(Gelu, z), Activations.GeluDerivative(z), $"gelu'({z})");
            Close(Difference(Softplus, z), Activations.SoftplusDerivative(z), $"softplus'({z})");
        }
    }

    [Fact]
    public void Softplus_keeps_its_precision_far_below_zero_and_is_linear_above_the_threshold()
    {
        Assert.Equal(MathF.Exp(-30f), Activations.Softplus(-30f));
        Assert.True(Activations.Softplus(-30f) > 0f);
        Assert.Equal(25f, Activations.Softplus(25f));
        Assert.Equal(1f, Activations.SoftplusDerivative(25f));
    }
}
