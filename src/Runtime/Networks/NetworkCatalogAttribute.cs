using System;

namespace NetGen;

/// <summary>
/// Asks the NetGen generator for a class for every network of the project's spec files, and a catalog that makes any of
/// them by name: <c>[assembly: NetworkCatalog]</c>. A network that a <c>[Network]</c> class already binds keeps that class;
/// every other gets one named after it (<c>breast_cancer</c>: <c>BreastCancerNetwork</c>) in <see cref="Namespace"/>. The
/// generated static class <c>NetworkCatalog</c> in that namespace has <c>Names</c> and
/// <c>Create(name, seed, maxBatchSize, threads)</c>, so a program trains a network someone adds to nets.json without new C#.
/// </summary>
/// <example><code>[assembly: NetGen.NetworkCatalog(Namespace = "MyApp.Networks")]</code></example>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class NetworkCatalogAttribute : Attribute
{
    /// <summary>The namespace of the generated classes and of the catalog; <c>NetGen.Catalog</c> by default.</summary>
    public string Namespace { get; set; } = "NetGen.Catalog";
}
