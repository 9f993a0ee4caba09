namespace NetGen.Generator.Model;

/// <summary>Activation applied after a dense layer's affine map.</summary>
internal enum Activation
{
    Identity,
    Relu,
}

/// <summary>Loss applied to the last layer's outputs.</summary>
internal enum LossKind
{
    /// <summary>Softmax followed by negative log-likelihood, averaged over the batch (PyTorch <c>CrossEntropyLoss</c>).</summary>
    CrossEntropy,
}

/// <summary>A dense (fully connected) layer: <c>y = activation(x W + b)</c>.</summary>
/// <param name="Name">The PyTorch-style name (<c>fc1</c>, or the spec's <c>"name"</c>).</param>
internal sealed record DenseLayer(string Name, int Inputs, int Units, Activation Activation);

/// <summary>Adam hyper-parameters (PyTorch defaults unless the spec says otherwise).</summary>
/// <param name="Beta1">The spec's decimal value: 1 - beta and beta^t are computed from it in double, as PyTorch does in Python.</param>
internal sealed record AdamOptimizer(float LearningRate, double Beta1, double Beta2, float Epsilon);

/// <summary>Training defaults the runtime uses unless the user overrides them.</summary>
internal sealed record TrainingSpec(int BatchSize, int Epochs, int Seed);

/// <summary>A validated network spec: everything the emitter needs, nothing from Roslyn.</summary>
internal sealed record NetworkSpec(
    string Name,
    int InputSize,
    EquatableArray<DenseLayer> Layers,
    LossKind Loss,
    AdamOptimizer Optimizer,
    TrainingSpec Training)
{
    public int OutputSize => Layers[Layers.Count - 1].Units;

    public long ParameterCount
    {
        get
        {
            long count = 0;
            foreach (DenseLayer layer in Layers) count += (long)layer.Inputs * layer.Units + layer.Units;
            return count;
        }
    }
}

/// <summary>The C# class a <c>[Network("name")]</c> attribute sits on.</summary>
/// <param name="Namespace">Containing namespace, or empty for the global namespace.</param>
/// <param name="Accessibility">C# keyword(s) such as <c>public</c>, or empty.</param>
internal sealed record NetworkClass(string Namespace, string ClassName, string Accessibility, string FullyQualifiedName);

/// <summary>What the source output needs for one class: the class and its network.</summary>
internal sealed record GenerationModel(NetworkClass Class, NetworkSpec Network);
