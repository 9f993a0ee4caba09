using System;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>[assembly: NetworkCatalog]: a class for every network no [Network] class binds, and NetworkCatalog to make any by name.</summary>
public class CatalogTests
{
    private const string Spec = """
        { "networks": {
            "tiny": { "input": 5, "layers": [ { "units": 7, "activation": "relu" }, { "units": 3 } ] },
            "breast_cancer": { "input": 4, "layers": [ { "units": 6, "activation": "relu" }, { "units": 2 } ] },
            "regress": { "input": 2, "layers": [ { "units": 1 } ], "loss": "mse" } } }
        """;

    private const string Bound = "namespace MyApp; [NetGen.Network(\"tiny\")] public partial class TinyNet;";

    [Fact]
    public void Without_the_attribute_nothing_is_added()
    {
        var (result, output) = GeneratorHarness.Run(Spec, Bound);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.CompileDiagnostics(output));
        Assert.Single(GeneratorHarness.NetworkSources(result));
    }

    [Fact]
    public void The_catalog_makes_every_network_by_name_with_the_bound_class_where_there_is_one()
    {
        var (result, output) = GeneratorHarness.Run(Spec, Bound, "[assembly: NetGen.NetworkCatalog(Namespace = \"MyApp.Nets\")]");
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.CompileDiagnostics(output));
        Assert.Equal(new[] { "MyApp.Nets.BreastCancerNetwork.g.cs", "MyApp.Nets.RegressNetwork.g.cs", "MyApp.TinyNet.g.cs", "NetworkCatalog.g.cs", "NetworkRegistration.g.cs" },
            result.GeneratedSources.Select(s => s.HintName).OrderBy(n => n, StringComparer.Ordinal));

        // Run it: load the compiled assembly and make each network through the catalog.
        using var stream = new MemoryStream();
        Assert.True(output.Emit(stream).Success);
        Assembly assembly = Assembly.Load(stream.ToArray());
        Type catalog = assembly.GetType("MyApp.Nets.NetworkCatalog")!;
        var names = (System.Collections.Generic.IReadOnlyList<string>)catalog.GetProperty("Names")!.GetValue(null)!;
        Assert.Equal(new[] { "breast_cancer", "regress", "tiny" }, names);
        MethodInfo create = catalog.GetMethod("Create")!;
        foreach (var (name, type, inputs) in new[] { ("tiny", "MyApp.TinyNet", 5), ("breast_cancer", "MyApp.Nets.BreastCancerNetwork", 4), ("regress", "MyApp.Nets.RegressNetwork", 2) })
        {
            using var network = (INetwork)create.Invoke(null, new object?[] { name, 3, null, 1 })!;
            Assert.Equal(type, network.GetType().FullName);
            Assert.Equal((name, inputs, 3), (network.NetworkName, network.InputSize, network.Seed));
        }
        var unknown = Assert.Throws<TargetInvocationException>(() => create.Invoke(null, new object?[] { "tinny", null, null, 1 }));
        Assert.Equal("No network \"tinny\" in the spec files; the networks are: breast_cancer, regress, tiny. (Parameter 'name')", unknown.InnerException!.Message);
    }
}
