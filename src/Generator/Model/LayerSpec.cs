namespace NetGen.Generator.Model;

/// <summary>One entry of a network's <c>layers</c>, as the spec writes it (a layer kind's record derives from this).</summary>
internal abstract record LayerSpec;
