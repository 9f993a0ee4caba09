using System;
using System.Collections.Generic;
using MathNet.Numerics.LinearAlgebra;

namespace NetGen.Tests.Networks;

// The networks of test.nets.json, compiled through the generator exactly as a user's project would
// (those of features.nets.json are in FeatureNetworks.cs).
// Each class adds (in this hand-written half) what the tests need to rebuild it independently:
// its layers as the generated MathNet views, in order, with their activations (and dropout rates), its loss,
// and its optimizer's hyper-parameters, which mirror the json by hand (the generated constants are private).

/// <summary>Activation of a layer, as the reference implementation understands it.</summary>
public enum ReferenceActivation
{
    Identity,
    Relu,
    LeakyRelu,
    Tanh,
    Sigmoid,
    /// <summary>The tanh approximation.</summary>
    Gelu,
    /// <summary>log(1 + e^z), z above 20.</summary>
    Softplus,
}

public enum ReferenceLoss
{
    CrossEntropy,
    BinaryCrossEntropy,
    MeanSquaredError,
}

public enum ReferenceOptimizer
{
    Adam,
    AdamW,
    Sgd,
}

/// <summary>
/// One layer of a generated network: its PyTorch name, the generated views of its parameters (no bias: null; an
/// activation layer has neither, and says its width), its activation with leaky_relu's slope, and the rate of the
/// dropout after it (0: none).
/// </summary>
public sealed record LayerView(string Name, Matrix<float>? Weight, Vector<float>? Bias, ReferenceActivation Activation, double Alpha = 0, double DropoutRate = 0, int ActivationWidth = 0)
{
    /// <summary>An activation layer of <paramref name="width"/> values, maybe followed by dropout.</summary>
    public static LayerView ActivationLayer(string name, int width, ReferenceActivation activation, double alpha = 0, double dropoutRate = 0) =>
        new(name, null, null, activation, alpha, dropoutRate, width);

    /// <summary>The width of the layer's outputs.</summary>
    public int Width => Weight?.RowCount ?? ActivationWidth;
}

/// <summary>
/// Optimizer hyper-parameters as written in the json, as decimal values: PyTorch (and the generated code) compute
/// 1 - beta and beta^t from them in double, so 1 - 0.999 is 0.001, not 1 - 0.999f = 0.000999987.
/// The factories carry PyTorch's defaults (also the spec's), written here by hand.
/// </summary>
public sealed record OptimizerSettings(
    ReferenceOptimizer Kind,
    double LearningRate,
    double Beta1 = 0.9,
    double Beta2 = 0.999,
    double Epsilon = 1e-8,
    double WeightDecay = 0,
    double Momentum = 0,
    bool Nesterov = false)
{
    /// <summary>torch.optim.Adam; its weight decay is an L2 term added to the gradient.</summary>
    public static OptimizerSettings Adam(double lr, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0) =>
        new(ReferenceOptimizer.Adam, lr, beta1, beta2, eps, weightDecay);

    /// <summary>torch.optim.AdamW: decoupled weight decay, 0.01 by default.</summary>
    public static OptimizerSettings AdamW(double lr, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0.01) =>
        new(ReferenceOptimizer.AdamW, lr, beta1, beta2, eps, weightDecay);

    /// <summary>torch.optim.SGD without dampening.</summary>
    public static OptimizerSettings Sgd(double lr, double momentum = 0, bool nesterov = false, double weightDecay = 0) =>
        new(ReferenceOptimizer.Sgd, lr, WeightDecay: weightDecay, Momentum: momentum, Nesterov: nesterov);

    /// <summary>The per-tensor state PyTorch keeps, by name: Adam's two moments, SGD's momentum buffer only with momentum.</summary>
    public IReadOnlyList<string> StateNames => Kind switch
    {
        ReferenceOptimizer.Sgd when Momentum == 0 => Array.Empty<string>(),
        ReferenceOptimizer.Sgd => new[] { "momentum_buffer" },
        _ => new[] { "exp_avg", "exp_avg_sq" },
    };
}

/// <summary>A generated network together with the description the reference implementation is built from.</summary>
public interface ITestNetwork : INetwork
{
    IReadOnlyList<LayerView> Layers { get; }

    OptimizerSettings Optimizer { get; }

    /// <summary>The spec's loss for the reference; cross-entropy where the spec is silent. (INetwork.Loss is the network's own word for it.)</summary>
    new ReferenceLoss Loss => ReferenceLoss.CrossEntropy;
}

/// <summary>A network trained towards float targets (mse, binary_cross_entropy): INetwork's target overloads are the generated ones.</summary>
public interface ITargetNetwork : ITestNetwork
{
}

/// <summary>A network with dropout layers: where its masks come from.</summary>
public interface IDropoutNetwork : ITestNetwork
{
    new RandomSource DropoutRandom { get; }
}

[Network("tiny")]
public partial class TinyNet : ITestNetwork
{
    public IReadOnlyList<LayerView> Layers => new LayerView[]
    {
        new("fc1", Fc1Weight, Fc1Bias, ReferenceActivation.Relu),
        new("fc2", Fc2Weight, Fc2Bias, ReferenceActivation.Relu),
        new("fc3", Fc3Weight, Fc3Bias, ReferenceActivation.Identity),
    };

    public OptimizerSettings Optimizer => OptimizerSettings.Adam(0.01);
}

/// <summary>Named layers, an identity hidden layer (backward without the ReLU mask) and non-default Adam settings.</summary>
[Network("mixed")]
public partial class MixedNet : ITestNetwork
{
    public IReadOnlyList<LayerView> Layers => new LayerView[]
    {
        new("hidden", HiddenWeight, HiddenBias, ReferenceActivation.Identity),
        new("bottleneck", BottleneckWeight, BottleneckBias, ReferenceActivation.Relu),
        new("head", HeadWeight, HeadBias, ReferenceActivation.Identity),
    };

    public OptimizerSettings Optimizer => OptimizerSettings.Adam(0.02, 0.8, 0.99, 1e-4);
}

/// <summary>Sizes that are not multiples of any vector width (33, 65, 7, 2), so every kernel runs its scalar tail.</summary>
[Network("odd")]
public partial class OddNet : ITestNetwork
{
    public IReadOnlyList<LayerView> Layers => new LayerView[]
    {
        new("fc1", Fc1Weight, Fc1Bias, ReferenceActivation.Relu),
        new("fc2", Fc2Weight, Fc2Bias, ReferenceActivation.Relu),
        new("fc3", Fc3Weight, Fc3Bias, ReferenceActivation.Identity),
    };

    public OptimizerSettings Optimizer => OptimizerSettings.Adam(0.005);
}

/// <summary>One input and a one-unit identity layer: kernels with no vector part at all.</summary>
[Network("narrow")]
public partial class NarrowNet : ITestNetwork
{
    public IReadOnlyList<LayerView> Layers => new LayerView[]
    {
        new("fc1", Fc1Weight, Fc1Bias, ReferenceActivation.Relu),
        new("fc2", Fc2Weight, Fc2Bias, ReferenceActivation.Identity),
        new("fc3", Fc3Weight, Fc3Bias, ReferenceActivation.Identity),
    };

    public OptimizerSettings Optimizer => OptimizerSettings.Adam(0.01);
}

/// <summary>A hidden layer too wide for Forward's stack buffer (16500 > 16384 floats), so Forward rents its buffers.</summary>
[Network("wide")]
public partial class WideNet : ITestNetwork
{
    public IReadOnlyList<LayerView> Layers => new LayerView[]
    {
        new("fc1", Fc1Weight, Fc1Bias, ReferenceActivation.Relu),
        new("fc2", Fc2Weight, Fc2Bias, ReferenceActivation.Identity),
    };

    public OptimizerSettings Optimizer => OptimizerSettings.Adam(0.001);
}

/// <summary>MNIST-like, written with the "shape" shorthand.</summary>
[Network("digits")]
public partial class DigitsNet : ITestNetwork
{
    public IReadOnlyList<LayerView> Layers => new LayerView[]
    {
        new("fc1", Fc1Weight, Fc1Bias, ReferenceActivation.Relu),
        new("fc2", Fc2Weight, Fc2Bias, ReferenceActivation.Identity),
    };

    public OptimizerSettings Optimizer => OptimizerSettings.Adam(0.001);
}

/// <summary>A small 2-D classifier for the learning tests.</summary>
[Network("toy")]
public partial class ToyNet : ITestNetwork
{
    public IReadOnlyList<LayerView> Layers => new LayerView[]
    {
        new("fc1", Fc1Weight, Fc1Bias, ReferenceActivation.Relu),
        new("fc2", Fc2Weight, Fc2Bias, ReferenceActivation.Relu),
        new("fc3", Fc3Weight, Fc3Bias, ReferenceActivation.Identity),
    };

    public OptimizerSettings Optimizer => OptimizerSettings.Adam(0.01);
}

/// <summary>A ReLU on the output layer, which the spec accepts: the logits are relu(z).</summary>
[Network("relulast")]
public partial class ReluLastNet : ITestNetwork
{
    public IReadOnlyList<LayerView> Layers => new LayerView[]
    {
        new("fc1", Fc1Weight, Fc1Bias, ReferenceActivation.Relu),
        new("fc2", Fc2Weight, Fc2Bias, ReferenceActivation.Relu),
    };

    public OptimizerSettings Optimizer => OptimizerSettings.Adam(0.01);
}
