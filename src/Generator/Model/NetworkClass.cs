namespace NetGen.Generator.Model;

/// <summary>The C# class a <c>[Network("name")]</c> attribute sits on.</summary>
/// <param name="Namespace">Containing namespace, or empty for the global namespace.</param>
/// <param name="Accessibility">C# keyword(s) such as <c>public</c>, or empty.</param>
/// <param name="IsSealed">Whether the class is sealed (in any of its declarations); an unsealed one gets the full dispose pattern.</param>
internal sealed record NetworkClass(string Namespace, string ClassName, string Accessibility, string FullyQualifiedName, bool IsSealed = false);
