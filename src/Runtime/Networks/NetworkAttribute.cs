using System;

namespace NetGen;

/// <summary>
/// Binds a <c>partial class</c> to a network in <c>nets.json</c>. At build time the NetGen source
/// generator emits that network's forward pass, backward pass and optimizer step into the class.
/// </summary>
/// <remarks>A class holds one network: a second <c>[Network]</c> on it (in any of its partial declarations) is build error NG3006.
/// The attribute allows several only so that NetGen, not the C# compiler, can report that with a clear message.</remarks>
/// <example><code>[Network("mnist")] public partial class MnistNet;</code></example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>Binds the class to the network called <paramref name="name"/> in <c>nets.json</c>.</summary>
    public NetworkAttribute(string name) => Name = name;

    /// <summary>The network's name, a key of the <c>networks</c> object in <c>nets.json</c>.</summary>
    public string Name { get; }
}
