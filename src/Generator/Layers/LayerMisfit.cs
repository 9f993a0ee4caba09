namespace NetGen.Generator.Layers;

/// <summary>Why a layer does not fit its input, for the rules to report (NG2013) at the property it names.</summary>
/// <param name="Property">The layer's property to point at, or null for the layer itself.</param>
/// <param name="Message">What is wrong and what to change.</param>
internal sealed record LayerMisfit(string? Property, string Message);
