namespace NetGen.Generator.Model;

/// <summary>What the planner needs for one class: the class and its network.</summary>
internal sealed record GenerationModel(NetworkClass Class, NetworkSpec Network);
