using System;
using System.Collections.Generic;

namespace NetGen.Mnist;

/// <summary>The networks this program can build, by their nets.json name (<c>--net</c>).</summary>
internal static class Networks
{
    /// <summary>The network used without <c>--net</c>.</summary>
    public const string Default = "mnist";

    /// <summary>Every valid <c>--net</c> value.</summary>
    public static IReadOnlyList<string> Names { get; } = ["mnist"];

    /// <summary>A fresh network; null values come from its spec.</summary>
    public static INetwork Create(string name, int? seed = null, int? maxBatchSize = null, int threads = 1) => name switch
    {
        "mnist" => new MnistNet(seed, maxBatchSize, threads),
        _ => throw new UsageException($"unknown network \"{name}\"; valid networks: {string.Join(", ", Names)}"),
    };
}
