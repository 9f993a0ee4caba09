using NetGen.Generator.Model;

namespace NetGen.Generator.Spec;

/// <summary>One layer as read, with where it stands in the file, for the rules; <see cref="Spec"/> is null when it has errors.</summary>
/// <param name="Type">The layer type's word (<c>dense</c> when the layer gives none).</param>
/// <param name="Name">The layer's name, given or by default, for kinds that have one.</param>
/// <param name="Index">Its place in <c>layers</c>, from 0.</param>
/// <param name="Node">The layer's object in the file.</param>
internal sealed record ParsedLayer(int Index, string Type, string? Name, JsonNode Node, LayerSpec? Spec);
