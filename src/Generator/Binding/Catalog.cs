using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Language;
using NetGen.Generator.Model;
using NetGen.Generator.Spec;

namespace NetGen.Generator.Binding;

/// <summary>
/// <c>[assembly: NetworkCatalog]</c>: which class makes each network of the spec files, the user's <c>[Network]</c> class
/// where one binds it, else a class made for the catalog (<see cref="Made"/>).
/// </summary>
/// <param name="Namespace">The namespace of the catalog and of the classes made for it.</param>
/// <param name="Classes">Each network's name and the fully qualified name of its class (global::...), in ordinal order of the names.</param>
/// <param name="Made">The networks no class binds, with the class made for each.</param>
internal sealed record Catalog(string Namespace, EquatableArray<(string Name, string Class)> Classes, EquatableArray<GenerationModel> Made)
{
    public const string AttributeName = "NetGen.NetworkCatalogAttribute";

    /// <summary>The catalog's namespace, or null when the assembly does not ask for a catalog.</summary>
    public static string? RequestedNamespace(Compilation compilation)
    {
        foreach (AttributeData attribute in compilation.Assembly.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() != AttributeName) continue;
            foreach (var argument in attribute.NamedArguments)
            {
                if (argument.Key == "Namespace" && argument.Value.Value is string ns && IsNamespace(ns)) return ns;
            }
            return "NetGen.Catalog";
        }
        return null;
    }

    private static bool IsNamespace(string ns) =>
        ns.Split('.').All(part => part.Length > 0 && (char.IsLetter(part[0]) || part[0] == '_') && part.All(c => char.IsLetterOrDigit(c) || c == '_'));

    /// <summary>
    /// Each network a [Network] class binds, by name in ordinal order, with its class (global::...); of two classes for one
    /// network, the first by full name in ordinal order. The catalog's classes start from these, and a project without a
    /// catalog registers these.
    /// </summary>
    public static SortedDictionary<string, string> BoundClasses(ImmutableArray<NetworkBinding> bindings)
    {
        var classes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (GenerationModel model in bindings.Select(b => b.Model).OfType<GenerationModel>().OrderBy(m => m.Class.FullyQualifiedName, StringComparer.Ordinal))
        {
            if (!classes.ContainsKey(model.Network.Name)) classes[model.Network.Name] = "global::" + model.Class.FullyQualifiedName;
        }
        return classes;
    }

    public static Catalog Build(string ns, ImmutableArray<SpecFile> files, ImmutableArray<NetworkBinding> bindings)
    {
        SortedDictionary<string, string> classes = BoundClasses(bindings);
        var made = new List<GenerationModel>();
        var counts = files.SelectMany(f => f.Networks).GroupBy(n => n.Name).ToDictionary(g => g.Key, g => g.Count());
        foreach (NetworkSpec spec in files.SelectMany(f => f.Networks).OrderBy(n => n.Name, StringComparer.Ordinal))
        {
            if (classes.ContainsKey(spec.Name) || counts[spec.Name] > 1) continue; // bound, or defined twice (reported when bound)
            string className = Identifiers.Pascal(spec.Name) + "Network";
            var cls = new NetworkClass(ns, className, "public", ns + "." + className, IsSealed: true);
            made.Add(new GenerationModel(cls, spec));
            classes[spec.Name] = "global::" + cls.FullyQualifiedName;
        }
        return new Catalog(ns, new EquatableArray<(string, string)>(classes.Select(e => (e.Key, e.Value)).ToArray()), new EquatableArray<GenerationModel>(made.ToArray()));
    }
}
