namespace NetGen.Generator.Model;

/// <summary>A network as nets.json describes it, checked: everything the planner needs, nothing from Roslyn.</summary>
/// <param name="Input">One row of inputs: a flat vector or an image (channels, height, width).</param>
internal sealed record NetworkSpec(
    string Name,
    Language.Shape Input,
    EquatableArray<LayerSpec> Layers,
    Language.LossKind Loss,
    OptimizerSpec Optimizer,
    TrainingSpec Training);
