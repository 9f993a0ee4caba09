using System;
using System.Linq;
using Xunit;

namespace NetGen.Tests.Networks;

/// <summary>NetworkRegistry: what the generated module initializer fills, and its own rules (last registration wins).</summary>
public class NetworkRegistryTests
{
    [Fact]
    public void The_generated_module_initializer_registered_this_projects_network_classes()
    {
        // test.nets.json's "tiny" is bound by TinyNet in this project: the registration ran when the assembly loaded.
        Assert.True(NetworkRegistry.Contains("tiny"));
        using INetwork network = NetworkRegistry.Create("tiny", 5, null, 1);
        Assert.IsType<TinyNet>(network);
        Assert.Equal(5, network.Seed);
    }

    [Fact]
    public void Names_are_in_ordinal_order()
    {
        var names = NetworkRegistry.Names;
        Assert.Equal(names.OrderBy(n => n, StringComparer.Ordinal), names);
    }

    [Fact]
    public void A_name_registered_again_keeps_the_last_registration()
    {
        const string Name = "registry_test_duplicate";
        NetworkRegistry.Register(Name, (seed, batch, threads) => new TinyNet(seed, batch, threads));
        NetworkRegistry.Register(Name, (seed, batch, threads) => new MixedNet(seed, batch, threads));
        Assert.Single(NetworkRegistry.Names, n => n == Name);
        using INetwork network = NetworkRegistry.Create(Name, 1, null, 1);
        Assert.IsType<MixedNet>(network);
    }

    [Fact]
    public void An_unknown_name_is_an_argument_error_that_lists_the_registered_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => NetworkRegistry.Create("no_such_network", null, null, 1));
        Assert.Equal("name", e.ParamName);
        Assert.StartsWith("No network \"no_such_network\" is registered; the registered networks are: ", e.Message);
        Assert.Contains(string.Join(", ", NetworkRegistry.Names.Where(n => n != "registry_test_duplicate").Take(1)), e.Message);
    }

    [Fact]
    public void Register_refuses_an_empty_name_and_a_null_factory()
    {
        Assert.Throws<ArgumentException>(() => NetworkRegistry.Register("", (s, b, t) => new TinyNet(s, b, t)));
        Assert.Throws<ArgumentNullException>(() => NetworkRegistry.Register("registry_test_null", null!));
        Assert.False(NetworkRegistry.Contains("registry_test_null"));
    }
}
