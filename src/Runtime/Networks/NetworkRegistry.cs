using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen;

/// <summary>
/// The networks of the running program by their nets.json name, for code that is not compiled with them (NetGen.Cli's
/// command line): the NetGen generator registers, in every project with <c>[Network]</c> classes or
/// <c>[assembly: NetworkCatalog]</c>, each network it can make, from a module initializer that runs when that assembly
/// is loaded (no reflection: native AOT keeps working). With a catalog those are all the catalog's networks; without, each
/// <c>[Network]</c> class under its network's name.
/// </summary>
/// <remarks>
/// A name registered twice (two assemblies of one program with a network of the same name) keeps the last registration:
/// the assembly loaded last wins. Registration and look-up are thread-safe.
/// </remarks>
public static class NetworkRegistry
{
    private static readonly object Gate = new();
    private static readonly SortedDictionary<string, Func<int?, int?, int, INetwork>> Factories = new(StringComparer.Ordinal);

    /// <summary>
    /// Registers the network called <paramref name="name"/>: <paramref name="create"/> makes a new instance from a seed,
    /// a largest batch and a thread count (null values come from the network's spec). A name registered before is
    /// replaced: the last registration wins.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="create"/> is null.</exception>
    public static void Register(string name, Func<int?, int?, int, INetwork> create)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(create);
        lock (Gate) Factories[name] = create;
    }

    /// <summary>The registered networks' names, in ordinal order (a copy: later registrations do not change it).</summary>
    public static IReadOnlyList<string> Names
    {
        get
        {
            lock (Gate) return Factories.Keys.ToArray();
        }
    }

    /// <summary>Whether a network called <paramref name="name"/> is registered.</summary>
    public static bool Contains(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (Gate) return Factories.ContainsKey(name);
    }

    /// <summary>A new instance of the registered network <paramref name="name"/>; null values come from its spec.</summary>
    /// <param name="name">The network's name in nets.json.</param>
    /// <param name="seed">The seed of its initial weights (and dropout), or null for the spec's.</param>
    /// <param name="maxBatchSize">The largest batch its buffers hold, or null for the spec's batch size.</param>
    /// <param name="threads">The threads its training steps use.</param>
    /// <exception cref="ArgumentException">No network of that name is registered (the message lists the registered ones).</exception>
    public static INetwork Create(string name, int? seed, int? maxBatchSize, int threads)
    {
        ArgumentNullException.ThrowIfNull(name);
        Func<int?, int?, int, INetwork>? create;
        lock (Gate) Factories.TryGetValue(name, out create);
        if (create is null)
        {
            IReadOnlyList<string> names = Names;
            string known = names.Count == 0 ? "no network is registered" : "the registered networks are: " + string.Join(", ", names);
            throw new ArgumentException($"No network \"{name}\" is registered; {known}.", nameof(name));
        }
        return create(seed, maxBatchSize, threads);
    }
}
