using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// NetworkRegistration.g.cs: one module initializer per compilation that registers every network it can make with
/// NetworkRegistry (the catalog's networks with a catalog, else each [Network] class), run here as the runtime runs it.
/// The networks' names are unique to each test: the registry is the test process's own.
/// </summary>
public class RegistrationTests
{
    private const string Spec = """
        { "networks": {
            "reg_one": { "input": 5, "layers": [ { "units": 7, "activation": "relu" }, { "units": 3 } ] },
            "reg_two": { "input": 4, "layers": [ { "units": 6, "activation": "relu" }, { "units": 2 } ] },
            "reg_three": { "input": 2, "layers": [ { "units": 1 } ], "loss": "mse" } } }
        """;

    /// <summary>Compiles the generated code, loads it and runs its module initializer; returns the registration's source.</summary>
    private static string RunRegistration(params string[] sources)
    {
        var (result, output) = GeneratorHarness.Run(Spec, sources);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.CompileDiagnostics(output));
        GeneratedSourceResult registration = Assert.Single(result.GeneratedSources, s => s.HintName == "NetworkRegistration.g.cs");
        using var stream = new MemoryStream();
        Assert.True(output.Emit(stream).Success);
        Assembly assembly = Assembly.Load(stream.ToArray());
        RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
        return registration.SourceText.ToString();
    }

    private static void AssertMakes(string name, string type, int inputs)
    {
        Assert.Contains(name, NetworkRegistry.Names);
        using INetwork network = NetworkRegistry.Create(name, 3, null, 1);
        Assert.Equal(type, network.GetType().FullName);
        Assert.Equal((name, inputs, 3), (network.NetworkName, network.InputSize, network.Seed));
    }

    [Fact]
    public void One_class_registers_its_network_from_a_module_initializer()
    {
        string code = RunRegistration("namespace MyApp; [NetGen.Network(\"reg_one\")] public partial class OneNet;");
        Assert.Contains("[global::System.Runtime.CompilerServices.ModuleInitializer]", code);
        Assert.Single(code.Split('\n'), line => line.Contains("NetworkRegistry.Register(", StringComparison.Ordinal));
        AssertMakes("reg_one", "MyApp.OneNet", 5);
    }

    [Fact]
    public void Two_classes_for_two_networks_register_both_in_one_initializer()
    {
        string code = RunRegistration(
            "namespace Two; [NetGen.Network(\"reg_two\")] internal partial class TwoNet;",
            "namespace Two.Other; [NetGen.Network(\"reg_three\")] public sealed partial class ThreeNet;");
        Assert.Single(code.Split('\n'), line => line.Contains("[global::System.Runtime.CompilerServices.ModuleInitializer]", StringComparison.Ordinal));
        Assert.Equal(2, code.Split('\n').Count(line => line.Contains("NetworkRegistry.Register(", StringComparison.Ordinal)));
        AssertMakes("reg_two", "Two.TwoNet", 4);
        AssertMakes("reg_three", "Two.Other.ThreeNet", 2);
    }

    [Fact]
    public void A_catalog_registers_every_network_of_the_spec_files_with_the_bound_class_where_there_is_one()
    {
        // Unique names again: a spec of its own, so that the other tests' networks are not registered by this one.
        const string CatalogSpec = """
            { "networks": {
                "cat_bound": { "input": 5, "layers": [ { "units": 7, "activation": "relu" }, { "units": 3 } ] },
                "cat_made": { "input": 4, "layers": [ { "units": 6, "activation": "relu" }, { "units": 2 } ] } } }
            """;
        var (result, output) = GeneratorHarness.Run(CatalogSpec,
            "namespace Cat; [NetGen.Network(\"cat_bound\")] public partial class BoundNet;",
            "[assembly: NetGen.NetworkCatalog(Namespace = \"Cat.Nets\")]");
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.CompileDiagnostics(output));
        Assert.Single(result.GeneratedSources, s => s.HintName == "NetworkRegistration.g.cs");
        using var stream = new MemoryStream();
        Assert.True(output.Emit(stream).Success);
        RuntimeHelpers.RunModuleConstructor(Assembly.Load(stream.ToArray()).ManifestModule.ModuleHandle);
        AssertMakes("cat_bound", "Cat.BoundNet", 5);
        AssertMakes("cat_made", "Cat.Nets.CatMadeNetwork", 4);
    }

    [Fact]
    public void Nothing_is_registered_without_a_network_class_or_a_catalog()
    {
        var (result, _) = GeneratorHarness.Run(Spec, "namespace MyApp; public class Plain;");
        Assert.Empty(result.GeneratedSources);
    }
}
