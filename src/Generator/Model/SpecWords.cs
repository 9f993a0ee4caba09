using System;

namespace NetGen.Generator.Model;

/// <summary>
/// The words nets.json spells the model's choices with, in one place: the parser reads them, the emitters write them
/// into comments and the architecture description, and the schema and docs are tested against them.
/// </summary>
internal static class SpecWords
{
    /// <summary>Activation words, index-aligned with <see cref="ActivationValues"/>.</summary>
    public static readonly string[] Activations = { "relu", "leaky_relu", "tanh", "sigmoid", "gelu", "softplus", "identity" };

    private static readonly Activation[] ActivationValues =
    {
        Activation.Relu, Activation.LeakyRelu, Activation.Tanh, Activation.Sigmoid, Activation.Gelu, Activation.Softplus, Activation.Identity,
    };

    /// <summary>Loss words in <see cref="LossKind"/> order.</summary>
    public static readonly string[] Losses = { "cross_entropy", "binary_cross_entropy", "mse" };

    /// <summary>Optimizer words in <see cref="OptimizerKind"/> order.</summary>
    public static readonly string[] Optimizers = { "adam", "adamw", "sgd" };

    /// <summary>Initializer words in <see cref="Initializer"/> order.</summary>
    public static readonly string[] Initializers = { "default", "xavier_uniform", "kaiming_uniform", "kaiming_normal", "zeros" };

    public static string Of(Activation activation) => Activations[Array.IndexOf(ActivationValues, activation)];

    public static string Of(LossKind loss) => Losses[(int)loss];

    public static string Of(OptimizerKind optimizer) => Optimizers[(int)optimizer];

    /// <summary>The activation a word stands for, or null for an unknown word.</summary>
    public static Activation? ActivationOf(string word)
    {
        int index = Array.IndexOf(Activations, word);
        return index < 0 ? null : ActivationValues[index];
    }
}
