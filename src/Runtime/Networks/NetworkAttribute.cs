using System;

namespace NetGen;

/// <summary>
/// Binds a <c>partial class</c> to a network in <c>nets.json</c>. At build time the NetGen source
/// generator emits that network's forward pass, backward pass and optimizer step into the class.
/// </summary>
/// <example><code>[Network("mnist")] public partial class MnistNet;</code></example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>Binds the class to the network called <paramref name="name"/> in <c>nets.json</c>.</summary>
    public NetworkAttribute(string name) => Name = name;

    /// <summary>The network's name, a key of the <c>networks</c> object in <c>nets.json</c>.</summary>
    public string Name { get; }
}
