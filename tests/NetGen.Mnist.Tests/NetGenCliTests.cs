using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using NetGen.Cli;
using Xunit;

namespace NetGen.Mnist.Tests;

/// <summary>Loads netgen-mnist's networks into the registry before any test: its module initializer registers them.</summary>
internal static class MnistNetworks
{
#pragma warning disable CA2255 // A test assembly's own start-up: the tests call NetGen.Cli's code without loading netgen-mnist first.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Load() => RuntimeHelpers.RunModuleConstructor(typeof(MnistNet).Module.ModuleHandle);
}

/// <summary>NetGenCli.Run: the library's public entry, with the settings a program gives it.</summary>
public class NetGenCliTests
{
    private static (int Code, string Out, string Error) Run(CliSettings settings, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = NetGenCli.Run(args, new CliSettings
        {
            ProgramName = settings.ProgramName,
            DefaultNetwork = settings.DefaultNetwork,
            Out = stdout,
            Error = stderr,
        });
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void The_registry_holds_netgen_mnists_networks()
    {
        Assert.Contains("mnist", NetworkRegistry.Names);
        Assert.Contains("mnist_cnn", NetworkRegistry.Names);
        using INetwork network = NetworkRegistry.Create("mnist_cnn", 1, null, 1);
        Assert.IsType<MnistCnn>(network);
    }

    [Fact]
    public void Help_and_usage_lines_use_the_program_name_given()
    {
        var help = Run(new CliSettings { ProgramName = "my-tool" }, "eval", "--help");
        Assert.Equal(ExitCodes.Ok, help.Code);
        Assert.Contains("  my-tool eval --load model.safetensors", help.Out);
        Assert.DoesNotContain("netgen-mnist", help.Out);

        var usage = Run(new CliSettings { ProgramName = "my-tool" }, "evall");
        Assert.Equal(ExitCodes.BadInput, usage.Code);
        Assert.EndsWith("Run 'my-tool --help' for its options and examples.", usage.Error.TrimEnd());
    }

    [Fact]
    public void The_default_network_is_the_one_given_else_the_first_by_name()
    {
        var given = Run(new CliSettings { ProgramName = "p", DefaultNetwork = "mnist_cnn" }, "train", "--help");
        Assert.Contains("else mnist_cnn.", given.Out);

        string first = NetworkRegistry.Names[0];
        var defaulted = Run(new CliSettings { ProgramName = "p" }, "train", "--help");
        Assert.Equal(ExitCodes.Ok, defaulted.Code);
        Assert.Contains($"else {first}.", defaulted.Out);
    }

    [Fact]
    public void An_unknown_default_network_is_one_error_line()
    {
        var run = Run(new CliSettings { ProgramName = "p", DefaultNetwork = "mnistt" }, "train", "--help");
        Assert.Equal(ExitCodes.BadInput, run.Code);
        Assert.Equal("", run.Out);
        Assert.Equal($"error: the default network \"mnistt\" is not one of p's networks: {string.Join(", ", NetworkRegistry.Names)}", Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)).TrimEnd());
    }
}
