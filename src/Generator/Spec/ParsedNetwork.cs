using System.Collections.Generic;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator.Language;
using NetGen.Generator.Model;

namespace NetGen.Generator.Spec;

/// <summary>
/// One network as read, before the rules: its values (defaults where the file has errors) and the places in the file
/// the rules point at. It lives only while one file is parsed; what flows on is the <see cref="NetworkSpec"/>.
/// </summary>
internal sealed class ParsedNetwork
{
    public ParsedNetwork(string name, TextSpan nameSpan, Shape input, IReadOnlyList<ParsedLayer> layers, bool layersComplete, JsonNode layersNode,
        LossKind loss, OptimizerSpec optimizer, TrainingSpec training, JsonNode? batchSizeNode)
    {
        Name = name;
        NameSpan = nameSpan;
        Input = input;
        Layers = layers;
        LayersComplete = layersComplete;
        LayersNode = layersNode;
        Loss = loss;
        Optimizer = optimizer;
        Training = training;
        BatchSizeNode = batchSizeNode;
    }

    public string Name { get; }

    /// <summary>The network's name in the file.</summary>
    public TextSpan NameSpan { get; }

    /// <summary>One row of inputs.</summary>
    public Shape Input { get; }

    /// <summary>Every layer that could be told apart (an object of a known type), those with errors included.</summary>
    public IReadOnlyList<ParsedLayer> Layers { get; }

    /// <summary>Whether every entry of <c>layers</c> was read without error, so the network's sizes are known.</summary>
    public bool LayersComplete { get; }

    /// <summary>The <c>layers</c> array, or the <c>shape</c> string that stands for it.</summary>
    public JsonNode LayersNode { get; }

    public LossKind Loss { get; }

    public OptimizerSpec Optimizer { get; }

    public TrainingSpec Training { get; }

    /// <summary>The <c>batch_size</c> value, if the file gives one.</summary>
    public JsonNode? BatchSizeNode { get; }

    /// <summary>The checked network; only for a network whose every layer was read.</summary>
    public NetworkSpec ToSpec()
    {
        var layers = new List<LayerSpec>();
        foreach (ParsedLayer layer in Layers) layers.Add(layer.Spec!);
        return new NetworkSpec(Name, Input, new EquatableArray<LayerSpec>(layers), Loss, Optimizer, Training);
    }
}
