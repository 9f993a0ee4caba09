using System.Collections.Generic;
using Act = NetGen.Tests.Networks.ReferenceActivation;

namespace NetGen.Tests.Networks;

// The networks of features.nets.json, one or a few language features each. As in TestNetworks.cs, the
// activations, slopes, dropout rates, loss and optimizer settings below are copied by hand from the json.

/// <summary>
/// leaky_relu with a given slope (0.1) and with the default one (0.01); 19 and 11 units, so that the vectorized
/// activation runs whole vectors and a scalar tail (for vectors of 8 and of 16 floats).
/// </summary>
[Network("leaky")]
public partial class LeakyNet : ITestNetwork
{
    public IReadOnlyList<LayerView> Layers => new LayerView[]
    {
        new("fc1", Fc1Weight, Fc1Bias, Act.LeakyRelu, Alpha: 0.1),
        new("fc2", Fc2Weight, Fc2Bias, Act.LeakyRelu, Alpha: 0.01),
        new("fc3", Fc3Weight, Fc3Bias, Act.Identity),
    };

    public OptimizerSettings Optimizer => OptimizerSettings.Adam(0.01);
}

[Network("saturating")]
public partial class SaturatingNet : ITestNetwork
{
    public IReadOnlyList<LayerView> Layers => new LayerView[]
    {
        new("fc1", Fc1Weight, Fc1Bias, Act.Tanh),
        new("fc2", Fc2Weight, Fc2Bias, Act.Sigmoid),
        new("fc3", Fc3Weight, Fc3Bias, Act.Identity),
    };

    public OptimizerSettings Optimizer => OptimizerSettings.Adam(0.01);
}

/// <summary>
/// Layers of whole blocks of 16 outputs with a fused activation, which the forward pass takes four rows at a time: leaky ReLU
/// with a bias, ReLU without one, identity outputs; a batch of 7 is a group of four and three rows one by one.
/// </summary>
[Network("grouped")]
public partial class GroupedNet : ITestNetwork
{
    public IReadOnlyList<LayerView> Layers => new LayerView[]
    {
        new("fc1", Fc1Weight, Fc1Bias, Act.LeakyRelu, Alpha: 0.1),
        new("fc2", Fc2Weight, null, Act.Relu),
        new("fc3", Fc3Weight, Fc3Bias, Act.Identity),
    };

    public OptimizerSettings Optimizer => OptimizerSettings.Adam(0.01);
}

/// <summary>gelu, and softplus both hidden and on the output layer.</summary>
[Network("smooth")]
public partial class SmoothNet : ITestNetwork
{
    public IReadOnlyList<LayerView> Layers => new LayerView[]
    {
        new("fc1", Fc1Weight, Fc1Bias, Act.Gelu),
        new("fc2", Fc2Weight, Fc2Bias, Act.Softplus),
        new("fc3", Fc3Weight, Fc3Bias, Act.Softplus),
    };

    public OptimizerSettings Optimizer => OptimizerSettings.Adam(0.01);
}

/// <summary>"bias": false on a ReLU layer (17 units) and on the output layer; the tanh layer between keeps its bias.</summary>
[Network("nobias")]
public partial class NoBiasNet : ITestNetwork
{
    public IReadOnlyList<LayerView> Layers => new LayerView[]
    {
        new("fc1", Fc1Weight, null, Act.Relu),
        new("fc2", Fc2Weight, Fc2Bias, Act.Tanh),
        new("fc3", Fc3Weight, null, Act.Identity),
    };

    public OptimizerSettings Optimizer => OptimizerSettings.Adam(0.01);
}

/// <summary>Dropout after a ReLU, a leaky ReLU (17 units: vectors and a tail) and a tanh layer, with three rates.</summary>
[Network("dropout")]
public partial class DropoutNet : IDropoutNetwork
{
    public IReadOnlyList<LayerView> Layers => new LayerView[]
    {
        new("fc1", Fc1Weight, Fc1Bias, Act.Relu, DropoutRate: 0.3),
        new("fc2", Fc2Weight, Fc2Bias, Act.LeakyRelu, Alpha: 0.1, DropoutRate: 0.5),
        new("fc3", Fc3Weight, Fc3Bias, Act.Tanh, DropoutRate: 0.2),
        new("fc4", Fc4Weight, Fc4Bias, Act.Identity),
    };

    public OptimizerSettings Optimizer => OptimizerSettings.Adam(0.01);
}

/// <summary>257 identity units and dropout 0.3, for the statistics of the masks.</summary>
[Network("dropstats")]
public partial class DropStatsNet : IDropoutNetwork, ITargetNetwork
{
    public IReadOnlyList<LayerView> Layers => new LayerView[]
    {
        new("fc1", Fc1Weight, Fc1Bias, Act.Identity, DropoutRate: 0.3),
        new("fc2", Fc2Weight, Fc2Bias, Act.Identity),
    };

    public ReferenceLoss Loss => ReferenceLoss.MeanSquaredError;

    public OptimizerSettings Optimizer => OptimizerSettings.Sgd(0.1);
}

/// <summary>MSE with a sigmoid on the output layer.</summary>
[Network("mse")]
public partial class MseNet : ITargetNetwork
{
    public IReadOnlyList<LayerView> Layers => new LayerView[]
    {
        new("fc1", Fc1Weight, Fc1Bias, Act.Relu),
        new("fc2", Fc2Weight, Fc2Bias, Act.Tanh),
        new("fc3", Fc3Weight, Fc3Bias, Act.Sigmoid),
    };

    public ReferenceLoss Loss => ReferenceLoss.MeanSquaredError;

    public OptimizerSettings Optimizer => OptimizerSettings.Adam(0.01);
}

[Network("bce")]
public partial class BceNet : ITargetNetwork
{
    public IReadOnlyList<LayerView> Layers => new LayerView[]
    {
        new("fc1", Fc1Weight, Fc1Bias, Act.Relu),
        new("fc2", Fc2Weight, Fc2Bias, Act.Gelu),
        new("fc3", Fc3Weight, Fc3Bias, Act.Identity),
    };

    public ReferenceLoss Loss => ReferenceLoss.BinaryCrossEntropy;

    public OptimizerSettings Optimizer => OptimizerSettings.Adam(0.01);
}

[Network("adamw")]
public partial class AdamWNet : ITestNetwork
{
    public IReadOnlyList<LayerView> Layers => ReluReluIdentity(Fc1Weight, Fc1Bias, Fc2Weight, Fc2Bias, Fc3Weight, Fc3Bias);

    public OptimizerSettings Optimizer => OptimizerSettings.AdamW(0.01, beta1: 0.85, beta2: 0.995, eps: 1e-6, weightDecay: 0.1);

    internal static LayerView[] ReluReluIdentity(
        MathNet.Numerics.LinearAlgebra.Matrix<float> w1, MathNet.Numerics.LinearAlgebra.Vector<float> b1,
        MathNet.Numerics.LinearAlgebra.Matrix<float> w2, MathNet.Numerics.LinearAlgebra.Vector<float> b2,
        MathNet.Numerics.LinearAlgebra.Matrix<float> w3, MathNet.Numerics.LinearAlgebra.Vector<float> b3) => new LayerView[]
    {
        new("fc1", w1, b1, Act.Relu),
        new("fc2", w2, b2, Act.Relu),
        new("fc3", w3, b3, Act.Identity),
    };
}

/// <summary>Adam with weight_decay: an L2 term in the gradient the moments see.</summary>
[Network("adaml2")]
public partial class AdamL2Net : ITestNetwork
{
    public IReadOnlyList<LayerView> Layers => AdamWNet.ReluReluIdentity(Fc1Weight, Fc1Bias, Fc2Weight, Fc2Bias, Fc3Weight, Fc3Bias);

    public OptimizerSettings Optimizer => OptimizerSettings.Adam(0.01, weightDecay: 0.05);
}

/// <summary>Plain SGD: no optimizer state at all.</summary>
[Network("sgd")]
public partial class SgdNet : ITestNetwork
{
    public IReadOnlyList<LayerView> Layers => AdamWNet.ReluReluIdentity(Fc1Weight, Fc1Bias, Fc2Weight, Fc2Bias, Fc3Weight, Fc3Bias);

    public OptimizerSettings Optimizer => OptimizerSettings.Sgd(0.1);
}

[Network("momentum")]
public partial class MomentumNet : ITestNetwork
{
    public IReadOnlyList<LayerView> Layers => AdamWNet.ReluReluIdentity(Fc1Weight, Fc1Bias, Fc2Weight, Fc2Bias, Fc3Weight, Fc3Bias);

    public OptimizerSettings Optimizer => OptimizerSettings.Sgd(0.05, momentum: 0.9);
}

[Network("nesterov")]
public partial class NesterovNet : ITestNetwork
{
    public IReadOnlyList<LayerView> Layers => AdamWNet.ReluReluIdentity(Fc1Weight, Fc1Bias, Fc2Weight, Fc2Bias, Fc3Weight, Fc3Bias);

    public OptimizerSettings Optimizer => OptimizerSettings.Sgd(0.05, momentum: 0.8, nesterov: true, weightDecay: 0.01);
}

/// <summary>How a layer of an initializer network starts, as the json says.</summary>
public enum InitKind
{
    Default,
    XavierUniform,
    KaimingUniform,
    KaimingNormal,
    Zeros,
}

/// <summary>A network whose layers use the named initializers (per layer, in order).</summary>
public interface IInitializerNetwork : ITestNetwork
{
    IReadOnlyList<InitKind> Inits { get; }
}

[Network("xavier")]
public partial class XavierNet : IInitializerNetwork
{
    public IReadOnlyList<LayerView> Layers => new LayerView[] { new("fc1", Fc1Weight, Fc1Bias, Act.Relu), new("fc2", Fc2Weight, Fc2Bias, Act.Identity) };

    public IReadOnlyList<InitKind> Inits => new[] { InitKind.XavierUniform, InitKind.XavierUniform };

    public OptimizerSettings Optimizer => OptimizerSettings.Adam(0.001);
}

[Network("kaimingu")]
public partial class KaimingUniformNet : IInitializerNetwork
{
    public IReadOnlyList<LayerView> Layers => new LayerView[] { new("fc1", Fc1Weight, Fc1Bias, Act.Relu), new("fc2", Fc2Weight, Fc2Bias, Act.Identity) };

    public IReadOnlyList<InitKind> Inits => new[] { InitKind.KaimingUniform, InitKind.KaimingUniform };

    public OptimizerSettings Optimizer => OptimizerSettings.Adam(0.001);
}

[Network("kaimingn")]
public partial class KaimingNormalNet : IInitializerNetwork
{
    public IReadOnlyList<LayerView> Layers => new LayerView[] { new("fc1", Fc1Weight, Fc1Bias, Act.Relu), new("fc2", Fc2Weight, Fc2Bias, Act.Identity) };

    public IReadOnlyList<InitKind> Inits => new[] { InitKind.KaimingNormal, InitKind.KaimingNormal };

    public OptimizerSettings Optimizer => OptimizerSettings.Adam(0.001);
}

/// <summary>A default-initialized ReLU layer followed by two zeros layers.</summary>
[Network("zeros")]
public partial class ZerosNet : IInitializerNetwork
{
    public IReadOnlyList<LayerView> Layers => new LayerView[]
    {
        new("fc1", Fc1Weight, Fc1Bias, Act.Relu),
        new("fc2", Fc2Weight, Fc2Bias, Act.Tanh),
        new("fc3", Fc3Weight, Fc3Bias, Act.Identity),
    };

    public IReadOnlyList<InitKind> Inits => new[] { InitKind.Default, InitKind.Zeros, InitKind.Zeros };

    public OptimizerSettings Optimizer => OptimizerSettings.Adam(0.01);
}

/// <summary>XOR with binary cross-entropy and SGD with momentum.</summary>
[Network("xorbce")]
public partial class XorBceNet : ITargetNetwork
{
    public IReadOnlyList<LayerView> Layers => new LayerView[] { new("fc1", Fc1Weight, Fc1Bias, Act.Tanh), new("fc2", Fc2Weight, Fc2Bias, Act.Identity) };

    public ReferenceLoss Loss => ReferenceLoss.BinaryCrossEntropy;

    public OptimizerSettings Optimizer => OptimizerSettings.Sgd(0.1, momentum: 0.9);
}

/// <summary>XOR with MSE on one-hot targets and AdamW with its default weight decay.</summary>
[Network("xormse")]
public partial class XorMseNet : ITargetNetwork
{
    public IReadOnlyList<LayerView> Layers => new LayerView[] { new("fc1", Fc1Weight, Fc1Bias, Act.Relu), new("fc2", Fc2Weight, Fc2Bias, Act.Identity) };

    public ReferenceLoss Loss => ReferenceLoss.MeanSquaredError;

    public OptimizerSettings Optimizer => OptimizerSettings.AdamW(0.01);
}

/// <summary>
/// Activation layers: first (on the inputs, no gradient needed), folded into the dense layer before (relu), after a layer
/// that has one (gelu after tanh), with dropout after it, and after dropout (leaky_relu with a slope).
/// </summary>
[Network("actlayers")]
public partial class ActivationLayersNet : IDropoutNetwork
{
    public IReadOnlyList<LayerView> Layers => new[]
    {
        LayerView.ActivationLayer("act1", 6, Act.Tanh),
        new LayerView("fc1", Fc1Weight, Fc1Bias, Act.Relu),
        new LayerView("fc2", Fc2Weight, Fc2Bias, Act.Tanh),
        LayerView.ActivationLayer("act2", 11, Act.Gelu, dropoutRate: 0.3),
        LayerView.ActivationLayer("act3", 11, Act.LeakyRelu, alpha: 0.2),
        new LayerView("fc3", Fc3Weight, Fc3Bias, Act.Identity),
    };

    public OptimizerSettings Optimizer => OptimizerSettings.Adam(0.01);
}

/// <summary>
/// Activation layers one after another (identity, which is left out, and softplus fold into the dense layer before;
/// sigmoid follows on its own), after tanh, and on the output (tanh after relu, whose zeros it does not mask), with MSE.
/// </summary>
[Network("actlast")]
public partial class ActivationLastNet : ITargetNetwork
{
    public IReadOnlyList<LayerView> Layers => new[]
    {
        new LayerView("fc1", Fc1Weight, Fc1Bias, Act.Softplus),
        LayerView.ActivationLayer("act1", 7, Act.Sigmoid),
        new LayerView("fc2", Fc2Weight, Fc2Bias, Act.Tanh),
        LayerView.ActivationLayer("act2", 17, Act.Sigmoid),
        new LayerView("fc3", Fc3Weight, Fc3Bias, Act.Relu),
        LayerView.ActivationLayer("act3", 4, Act.Tanh),
    };

    public ReferenceLoss Loss => ReferenceLoss.MeanSquaredError;

    public OptimizerSettings Optimizer => OptimizerSettings.Adam(0.01);
}

/// <summary>A ReLU layer after a ReLU dense layer (which then needs no pass of its own) and after tanh, with SGD momentum.</summary>
[Network("actrelu")]
public partial class ActivationReluNet : ITestNetwork
{
    public IReadOnlyList<LayerView> Layers => new[]
    {
        new LayerView("fc1", Fc1Weight, Fc1Bias, Act.Relu),
        LayerView.ActivationLayer("act1", 8, Act.Relu),
        new LayerView("fc2", Fc2Weight, Fc2Bias, Act.Tanh),
        LayerView.ActivationLayer("act2", 6, Act.Relu),
        new LayerView("fc3", Fc3Weight, Fc3Bias, Act.Identity),
    };

    public OptimizerSettings Optimizer => OptimizerSettings.Sgd(0.1, momentum: 0.9);
}

/// <summary>test.nets.json's "tiny" written with activation layers: the same network, so the same plan and file.</summary>
[Network("tinyfolded")]
public partial class TinyFoldedNet : ITestNetwork
{
    public IReadOnlyList<LayerView> Layers => new LayerView[]
    {
        new("fc1", Fc1Weight, Fc1Bias, Act.Relu),
        new("fc2", Fc2Weight, Fc2Bias, Act.Relu),
        new("fc3", Fc3Weight, Fc3Bias, Act.Identity),
    };

    public OptimizerSettings Optimizer => OptimizerSettings.Adam(0.01);
}
