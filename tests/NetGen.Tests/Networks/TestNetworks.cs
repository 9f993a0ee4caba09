using System.Collections.Generic;
using MathNet.Numerics.LinearAlgebra;

namespace NetGen.Tests.Networks;

// The networks of test.nets.json, compiled through the generator exactly as a user's project would.
// Each class adds (in this hand-written half) what the tests need to rebuild it independently:
// its layers as the generated MathNet views, in order, with their activations, and the Adam
// hyper-parameters, which mirror test.nets.json by hand (the generated constants are private).

/// <summary>Activation of a layer, as the reference implementation understands it.</summary>
public enum ReferenceActivation
{
    Identity,
    Relu,
}

/// <summary>One dense layer of a generated network: its PyTorch name and the generated views of its parameters.</summary>
public sealed record LayerView(string Name, Matrix<float> Weight, Vector<float> Bias, ReferenceActivation Activation);

/// <summary>
/// Adam hyper-parameters as written in test.nets.json, as decimal values: PyTorch (and the generated code) compute
/// 1 - beta and beta^t from them in double, so 1 - 0.999 is 0.001, not 1 - 0.999f = 0.000999987.
/// </summary>
public sealed record AdamSettings(double LearningRate, double Beta1 = 0.9, double Beta2 = 0.999, double Epsilon = 1e-8);

/// <summary>A generated network together with the description the reference implementation is built from.</summary>
public interface ITestNetwork : INetwork
{
    IReadOnlyList<LayerView> Layers { get; }

    AdamSettings Adam { get; }
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

    public AdamSettings Adam => new(0.01);
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

    public AdamSettings Adam => new(0.02, 0.8, 0.99, 1e-4);
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

    public AdamSettings Adam => new(0.005);
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

    public AdamSettings Adam => new(0.01);
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

    public AdamSettings Adam => new(0.001);
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

    public AdamSettings Adam => new(0.001);
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

    public AdamSettings Adam => new(0.01);
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

    public AdamSettings Adam => new(0.01);
}
