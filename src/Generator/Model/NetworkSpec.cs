namespace NetGen.Generator.Model;

/// <summary>A network as nets.json describes it, checked: everything the planner needs, nothing from Roslyn.</summary>
internal sealed record NetworkSpec(
    string Name,
    int InputSize,
    EquatableArray<LayerSpec> Layers,
    Language.LossKind Loss,
    OptimizerSpec Optimizer,
    TrainingSpec Training);
