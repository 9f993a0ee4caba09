using System;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// A network that cannot be generated (its spec has errors, is missing, is defined twice, or its class has two
/// [Network]s) still gets a stub of the class's members, so that code using them compiles and the build reports the
/// NG errors alone, not C# errors (CS1061, CS0117, CS1674, CS0029, ...) in the user's code around them.
/// </summary>
public class StubTests
{
    /// <summary>A class of the network and code that uses every member a generated class has (but the tensor views).</summary>
    private static string UserCode(string modifiers) => $$"""
        using System;
        using NetGen;

        namespace MyApp;

        [Network("tiny")]
        {{modifiers}} partial class TinyNet;

        public static class Use
        {
            public static int Run()
            {
                using var net = new TinyNet(seed: 1, maxBatchSize: 8, threads: 1);
                using var plain = new TinyNet();
                var inputs = new float[TinyNet.InputSize * 4];
                var labels = new int[4];
                var targets = new float[TinyNet.OutputSize * 4];
                float loss = net.TrainStep(inputs, labels) + net.ComputeGradients(inputs, labels);
                net.OptimizerStep();
                var outputs = new float[TinyNet.OutputSize * 4];
                net.Forward(inputs, outputs);
                int predicted = net.Predict(inputs.AsSpan(0, TinyNet.InputSize)) + net.Classify(outputs.AsSpan(0, TinyNet.OutputSize));
                INetwork asInterface = net;
                IDisposable disposable = plain;
                disposable.Dispose();
                loss += asInterface.TrainStep(inputs, targets);
                net.LearningRate = 0.1f;
                net.Step = 3;
                TrainingDefaults defaults = net.Defaults;
                int perClass = 100 / TinyNet.ClassCount + 100 / TinyNet.OutputSize + 100 / TinyNet.InputSize + 100 / TinyNet.DefaultBatchSize;
                string text = TinyNet.Architecture + TinyNet.SpecHash + net.NetworkName;
                long count = TinyNet.ParameterCount + TinyNet.DefaultEpochs + TinyNet.DefaultSeed + net.MaxBatchSize + net.Threads + net.Seed + net.Step;
                int tensors = net.Parameters.Count + net.OptimizerState.Count + asInterface.Buffers.Count + (asInterface.DropoutRandom is null ? 0 : 1);
                return predicted + (int)loss + asInterface.InputSize + text.Length + (int)count + perClass + tensors + defaults.Epochs + (int)net.LearningRate;
            }
        }
        """;

    private const string BadActivation = """{ "networks": { "tiny": { "shape": "5-7-3", "activation": "rleu" } } }""";

    private static AdditionalText Spec(string text, string path = GeneratorHarness.SpecPath) => new InMemoryAdditionalText(path, text);

    public static TheoryData<string, string[], string> Broken => new()
    {
        // What is wrong, the spec files, the NG errors expected.
        { "unknown activation", new[] { BadActivation }, "NG2005" },
        { "not valid JSON", new[] { "{ \"networks\": " }, "NG1001" },
        { "no nets.json", Array.Empty<string>(), "NG3002" },
        { "no network of that name", new[] { """{ "networks": { "other": { "shape": "5-3" } } }""" }, "NG3001" },
        { "defined twice", new[] { SourceSnippets.TinySpec, SourceSnippets.TinySpec }, "NG3005" },
    };

    private static (GeneratorRunResult Result, Compilation Output) Run(string[] specs, string modifiers) =>
        GeneratorHarness.Run(specs.Select((s, i) => Spec(s, i == 0 ? GeneratorHarness.SpecPath : $"/project/more{i}.nets.json")).ToArray(), UserCode(modifiers));

    [Fact]
    public void The_user_code_compiles_against_a_generated_network()
    {
        foreach (string modifiers in new[] { "public", "internal sealed" })
        {
            var (result, output) = Run(new[] { SourceSnippets.TinySpec }, modifiers);
            Assert.Empty(result.Diagnostics);
            Assert.Empty(GeneratorHarness.CompileDiagnostics(output));
        }
    }

    [Theory]
    [MemberData(nameof(Broken))]
    public void A_network_that_cannot_be_generated_leaves_only_its_NG_errors(string what, string[] specs, string expected)
    {
        foreach (string modifiers in new[] { "public", "internal sealed" })
        {
            var (result, output) = Run(specs, modifiers);
            Assert.True(result.Exception is null, what);
            Assert.Equal(new[] { expected }, result.Diagnostics.Select(d => d.Id).Distinct());
            Assert.Empty(GeneratorHarness.CompileDiagnostics(output).Select(d => $"{what}, {modifiers}: {d}"));
            string stub = Assert.Single(GeneratorHarness.NetworkSources(result)).SourceText.ToString();
            Assert.Contains($"({expected})", stub, StringComparison.Ordinal);
            Assert.DoesNotContain("_core", stub, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_class_with_two_Network_attributes_gets_the_stub_too()
    {
        const string source = "using NetGen;\nnamespace MyApp;\n[Network(\"tiny\")]\n[Network(\"tiny\")]\npublic partial class TinyNet;\n"
            + "public static class Use { public static int Run() { using var net = new TinyNet(); return net.Predict(new float[TinyNet.InputSize]); } }";
        var (result, output) = GeneratorHarness.Run(SourceSnippets.TinySpec, source);
        Assert.Equal(new[] { "NG3006" }, result.Diagnostics.Select(d => d.Id));
        Assert.Empty(GeneratorHarness.CompileDiagnostics(output));
        Assert.Contains("(NG3006)", Assert.Single(GeneratorHarness.NetworkSources(result)).SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_class_that_cannot_hold_members_gets_no_stub()
    {
        // Not partial (NG3003): a partial stub would only add the compiler's CS0260 to it.
        var (result, _) = GeneratorHarness.Run(BadActivation, "[NetGen.Network(\"tiny\")]\nclass TinyNet { }");
        Assert.Equal(new[] { "NG2005", "NG3003" }, result.Diagnostics.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal));
        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void The_stub_throws_a_one_line_message_naming_the_errors()
    {
        var (_, output) = Run(new[] { BadActivation }, "public");
        using var image = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult emitted = output.Emit(image);
        Assert.True(emitted.Success, string.Join("; ", emitted.Diagnostics));
        Assembly assembly = Assembly.Load(image.ToArray());
        MethodInfo run = assembly.GetType("MyApp.Use")!.GetMethod("Run")!;

        var thrown = Assert.Throws<TargetInvocationException>(() => run.Invoke(null, null));
        var error = Assert.IsType<InvalidOperationException>(thrown.InnerException);
        Assert.Equal("Network \"tiny\" was not generated because its spec has errors (NG2005); fix the NetGen errors of the build and build again.", error.Message);
    }
}
