using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace NetGen.Tests.Onnx;

/// <summary>
/// Every network class the test assembly's specs generate (test, features, images, fit and the repository's nets.json):
/// the classes with the generated <c>Architecture</c> constant (hand-written fakes of INetwork have none).
/// </summary>
internal static class AllNetworks
{
    public static readonly Type[] Types = typeof(AllNetworks).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(INetwork).IsAssignableFrom(t) && t.GetField("Architecture") is { IsLiteral: true })
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .ToArray();

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (Type t in Types) data.Add(t.FullName!);
        return data;
    }

    /// <summary>A new instance with the spec's seed: <c>new T(seed: null, maxBatchSize: null, threads: 1)</c>, the defaults.</summary>
    public static INetwork Create(Type type) => (INetwork)Activator.CreateInstance(type, [null, null, 1])!;

    public static INetwork Create(string typeName) => Create(Types.Single(t => t.FullName == typeName));
}
