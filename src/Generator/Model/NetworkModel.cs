namespace NetGen.Generator.Model;

/// <summary>Activation applied after a dense layer's affine map.</summary>
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

/// <summary>Loss applied to the last layer's outputs.</summary>
internal enum LossKind
{
    /// <summary>Softmax followed by negative log-likelihood, averaged over the batch (PyTorch <c>CrossEntropyLoss</c>).</summary>
    CrossEntropy,
    /// <summary>Sigmoid + binary cross-entropy on the logit, averaged (PyTorch <c>BCEWithLogitsLoss</c>).</summary>
    BinaryCrossEntropy,
    /// <summary>Mean squared error over all outputs (PyTorch <c>MSELoss</c>).</summary>
    MeanSquaredError,
}

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

internal enum OptimizerKind
{
    Adam,
    AdamW,
    Sgd,
}

/// <summary>A dense (fully connected) layer: <c>y = dropout(activation(x W + b))</c>.</summary>
/// <param name="Name">The PyTorch-style name (<c>fc1</c>, or the spec's <c>"name"</c>).</param>
/// <param name="Alpha">The negative slope of <see cref="Activation.LeakyRelu"/> (0 otherwise).</param>
/// <param name="Dropout">The drop probability of a dropout layer that follows this one in training (0: none).</param>
internal sealed record DenseLayer(
    string Name,
    int Inputs,
    int Units,
    Activation Activation,
    float Alpha = 0f,
    bool HasBias = true,
    Initializer Init = Initializer.Default,
    float Dropout = 0f)
{
    public long ParameterCount => (long)Inputs * Units + (HasBias ? Units : 0);
}

/// <summary>Optimizer hyper-parameters (PyTorch's defaults unless the spec says otherwise).</summary>
/// <param name="Beta1">The spec's decimal value: 1 - beta and beta^t are computed from it in double, as PyTorch does in Python.</param>
/// <param name="WeightDecay">L2 penalty added to the gradient (adam, sgd) or decoupled decay of the weights (adamw).</param>
internal sealed record OptimizerSpec(
    OptimizerKind Kind,
    float LearningRate,
    double Beta1 = 0.9,
    double Beta2 = 0.999,
    float Epsilon = 1e-8f,
    float WeightDecay = 0f,
    float Momentum = 0f,
    bool Nesterov = false)
{
    public bool IsAdam => Kind is OptimizerKind.Adam or OptimizerKind.AdamW;

    /// <summary>SGD keeps a momentum buffer only when momentum is used.</summary>
    public bool HasMomentumBuffer => Kind == OptimizerKind.Sgd && Momentum != 0f;
}

/// <summary>Training defaults the runtime uses unless the user overrides them.</summary>
internal sealed record TrainingSpec(int BatchSize, int Epochs, int Seed);

/// <summary>A validated network spec: everything the emitter needs, nothing from Roslyn.</summary>
internal sealed record NetworkSpec(
    string Name,
    int InputSize,
    EquatableArray<DenseLayer> Layers,
    LossKind Loss,
    OptimizerSpec Optimizer,
    TrainingSpec Training)
{
    public int OutputSize => Layers[Layers.Count - 1].Units;

    public long ParameterCount
    {
        get
        {
            long count = 0;
            foreach (DenseLayer layer in Layers) count += layer.ParameterCount;
            return count;
        }
    }

    public bool HasDropout
    {
        get
        {
            foreach (DenseLayer layer in Layers) if (layer.Dropout > 0f) return true;
            return false;
        }
    }
}

/// <summary>The C# class a <c>[Network("name")]</c> attribute sits on.</summary>
/// <param name="Namespace">Containing namespace, or empty for the global namespace.</param>
/// <param name="Accessibility">C# keyword(s) such as <c>public</c>, or empty.</param>
/// <param name="IsSealed">Whether the class is sealed (in any of its declarations); an unsealed one gets the full dispose pattern.</param>
internal sealed record NetworkClass(string Namespace, string ClassName, string Accessibility, string FullyQualifiedName, bool IsSealed = false);

/// <summary>What the source output needs for one class: the class and its network.</summary>
internal sealed record GenerationModel(NetworkClass Class, NetworkSpec Network);
