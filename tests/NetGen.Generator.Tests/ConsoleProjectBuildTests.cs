using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Generator.Tests;

/// <summary>
/// The build tests run alone (after the parallel tests) and one after another: each runs dotnet build, which
/// wants the machine's cores, and a timeout must not fire because the fuzz tests run meanwhile.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DotnetBuildCollection
{
    public const string Name = "dotnet build of generated projects";
}

/// <summary>
/// End to end, as a user sees it: a fresh console project referencing the generator and the runtime, built with
/// dotnet build; every NG error must be printed at the line and column of its offending token, with no generator
/// crash. One build per project below; each mistake is one line in its list.
/// </summary>
/// <remarks>
/// A case's text holds <c>§</c> right before the token the diagnostic must point at (as docs/diagnostics.md
/// describes it); it is removed before writing, and its line and column are the expectation.
/// </remarks>
[Collection(DotnetBuildCollection.Name)]
public sealed class ConsoleProjectBuildTests(ITestOutputHelper log)
{
    private const string TopLevelProgram = "System.Console.WriteLine(\"NetGen build test\");\n";

    /// <summary>Spec mistakes, each in its own *.nets.json, all in one project (no [Network] class, so no NG3xxx).</summary>
    public static readonly BuildCase[] SpecMistakes =
    {
        // NG1001: not strict JSON.
        new("trailing-comma.nets.json", """{ "networks": { "t1": { "shape": "5-7-3", §} } }""", "NG1001"),
        new("comment.nets.json", "{ \"networks\": {\n  §// the small one\n  \"t2\": { \"shape\": \"5-7-3\" } } }\n", "NG1001"),
        new("missing-brace.nets.json", """{ "networks": { "t3": { "shape": "5-7-3" } }§""", "NG1001"),
        new("missing-brace-newline.nets.json", "{ \"networks\": { \"t3b\": { \"shape\": \"5-7-3\" } }\n§", "NG1001"),
        new("duplicate-key.nets.json", """{ "networks": { "t4": { "shape": "5-7-3" }, §"t4": { "shape": "5-3" } } }""", "NG1001"),
        new("empty.nets.json", "§", "NG1001"),
        new("unquoted-name.nets.json", """{ "networks": { §t6: { "shape": "5-7-3" } } }""", "NG1001"),
        new("text-after.nets.json", """{ "networks": { "t7": { "shape": "5-7-3" } } } §x""", "NG1001"),
        new("leading-zero.nets.json", """{ "networks": { "t8": { "input": §05, "layers": [ { "units": 3 } ] } } }""", "NG1001"),
        new("bad-fraction.nets.json", """{ "networks": { "t9": { "shape": "5-3", "optimizer": { "type": "adam", "lr": §1. } } } }""", "NG1001"),
        new("bad-escape.nets.json", """{ "networks": { "t10": { "shape": "5-7§\q-3" } } }""", "NG1001"),
        new("line-break-in-string.nets.json", "{ \"networks\": { \"t11\": { \"shape\": \"5-7§\n-3\" } } }", "NG1001"),
        // 64 levels are allowed (as System.Text.Json's MaxDepth 64), so the error is at the 65th '['.
        new("too-deep.nets.json", new string('[', 64) + "§[" + new string(']', 65), "NG1001"),

        // NG2001: a required property is missing (points at the enclosing object's name, or its brace if it has none).
        new("no-networks.nets.json", """§{ }""", "NG2001"),
        new("no-layers.nets.json", """{ "networks": { §"t13": { "input": 5 } } }""", "NG2001"),
        new("no-units.nets.json", """{ "networks": { "t14": { "input": 5, "layers": [ §{ "activation": "relu" }, { "units": 3 } ] } } }""", "NG2001"),
        new("no-optimizer-type.nets.json", """{ "networks": { "t15": { "shape": "5-3", §"optimizer": { "lr": 0.01 } } } }""", "NG2001"),

        // NG2002: unknown property (points at its name).
        new("unknown-network-property.nets.json", """{ "networks": { "t16": { "shape": "5-3", §"optimiser": { "type": "adam" } } } }""", "NG2002"),
        new("unknown-layer-property.nets.json", """{ "networks": { "t17": { "input": 5, "layers": [ { "units": 3, §"colour": "red" } ] } } }""", "NG2002"),
        new("unknown-document-property.nets.json", """{ "networks": { "t18": { "shape": "5-3" } }, §"version": 2 }""", "NG2002"),

        // NG2003: wrong JSON type (points at the value).
        new("string-input.nets.json", """{ "networks": { "t19": { "input": §"784", "layers": [ { "units": 10 } ] } } }""", "NG2003"),
        new("fraction-batch.nets.json", """{ "networks": { "t20": { "shape": "5-3", "training": { "batch_size": §32.0 } } } }""", "NG2003"),
        new("network-not-object.nets.json", """{ "networks": { "t21": §5 } }""", "NG2003"),
        new("null-name.nets.json", """{ "networks": { "t22": { "input": 5, "layers": [ { "name": §null, "units": 3 } ] } } }""", "NG2003"),

        // NG2004: out of range (points at the value; at the name for network names). The first is the example of docs/diagnostics.md.
        new("zero-units.nets.json", """
            { "networks": { "t23": {
                "input": 784,
                "layers": [ { "units": §0, "activation": "relu" }, { "units": 10 } ] } } }
            """, "NG2004"),
        new("bad-network-name.nets.json", """{ "networks": { §"my net": { "shape": "5-3" } } }""", "NG2004"),
        new("zero-lr.nets.json", """{ "networks": { "t25": { "shape": "5-3", "optimizer": { "type": "adam", "lr": §0 } } } }""", "NG2004"),
        new("beta1-rounds-to-1.nets.json", """{ "networks": { "t26": { "shape": "5-3", "optimizer": { "type": "adam", "beta1": §0.99999999999 } } } }""", "NG2004"),
        new("empty-layers.nets.json", """{ "networks": { "t27": { "input": 5, "layers": §[] } } }""", "NG2004"),
        new("batch-too-large.nets.json", """{ "networks": { "t30": { "shape": "100000-2", "training": { "batch_size": §65536 } } } }""", "NG2004"),

        new("dropout-rate-one.nets.json", """{ "networks": { "t43": { "input": 5, "layers": [ { "units": 4 }, { "type": "dropout", "rate": §1 }, { "units": 3 } ] } } }""", "NG2004"),
        new("negative-alpha.nets.json", """{ "networks": { "t44": { "input": 5, "layers": [ { "units": 4, "activation": "leaky_relu", "alpha": §-0.1 }, { "units": 3 } ] } } }""", "NG2004"),
        new("momentum-one.nets.json", """{ "networks": { "t45": { "shape": "5-3", "optimizer": { "type": "sgd", "lr": 0.1, "momentum": §1.0 } } } }""", "NG2004"),
        new("negative-weight-decay.nets.json", """{ "networks": { "t46": { "shape": "5-3", "optimizer": { "type": "adamw", "weight_decay": §-0.01 } } } }""", "NG2004"),

        // NG2010: the output layer does not fit the loss (points at its units, or the shape value).
        new("one-output-shape.nets.json", """{ "networks": { "t28": { "shape": §"5-1" } } }""", "NG2010"),
        new("one-output-layers.nets.json", """{ "networks": { "t29": { "input": 5, "layers": [ { "units": §1 } ] } } }""", "NG2010"),
        new("bce-three-outputs.nets.json", """{ "networks": { "t47": { "input": 5, "layers": [ { "units": 4, "activation": "relu" }, { "units": §3 } ], "loss": "binary_cross_entropy" } } }""", "NG2010"),

        // NG2011: a dropout layer where it cannot be (points at its "type" value).
        new("dropout-first.nets.json", """{ "networks": { "t48": { "input": 5, "layers": [ { "type": §"dropout", "rate": 0.5 }, { "units": 3 } ] } } }""", "NG2011"),
        new("dropout-last.nets.json", """{ "networks": { "t49": { "input": 5, "layers": [ { "units": 3 }, { "type": §"dropout", "rate": 0.5 } ] } } }""", "NG2011"),
        new("dropout-twice.nets.json", """{ "networks": { "t50": { "input": 5, "layers": [ { "units": 4 }, { "type": "dropout", "rate": 0.5 }, { "type": §"dropout", "rate": 0.1 }, { "units": 3 } ] } } }""", "NG2011"),

        // NG2014: a batch norm layer where it cannot be (points at its "type" value).
        new("batch-norm-first.nets.json", """{ "networks": { "t75": { "input": 5, "layers": [ { "type": §"batch_norm" }, { "units": 3 } ] } } }""", "NG2014"),
        new("batch-norm-twice.nets.json", """{ "networks": { "t76": { "input": [1, 4, 4], "layers": [ { "type": "conv2d", "filters": 2, "kernel": 3 }, { "type": "batch_norm" }, { "type": §"batch_norm" }, { "units": 3 } ] } } }""", "NG2014"),

        // NG2001 and NG2002 in the new parts of the language.
        new("sgd-without-lr.nets.json", """{ "networks": { "t51": { "shape": "5-3", §"optimizer": { "type": "sgd", "momentum": 0.9 } } } }""", "NG2001"),
        new("dropout-without-rate.nets.json", """{ "networks": { "t52": { "input": 5, "layers": [ { "units": 4 }, §{ "type": "dropout" }, { "units": 3 } ] } } }""", "NG2001"),
        new("beta-on-sgd.nets.json", """{ "networks": { "t53": { "shape": "5-3", "optimizer": { "type": "sgd", "lr": 0.1, §"beta1": 0.9 } } } }""", "NG2002"),
        new("units-on-dropout.nets.json", """{ "networks": { "t54": { "input": 5, "layers": [ { "units": 4 }, { "type": "dropout", "rate": 0.5, §"units": 4 }, { "units": 3 } ] } } }""", "NG2002"),

        // NG2003 and NG2007 in the new parts of the language.
        new("bias-as-string.nets.json", """{ "networks": { "t55": { "input": 5, "layers": [ { "units": 3, "bias": §"no" } ] } } }""", "NG2003"),
        new("alpha-without-leaky.nets.json", """{ "networks": { "t56": { "input": 5, "layers": [ { "units": 4, "activation": "relu", §"alpha": 0.1 }, { "units": 3 } ] } } }""", "NG2007"),
        new("activation-layer-without-activation.nets.json", """{ "networks": { "t70": { "input": 5, "layers": [ §{ "type": "activation" }, { "units": 3 } ] } } }""", "NG2001"),
        new("activation-layer-unknown.nets.json", """{ "networks": { "t71": { "input": 5, "layers": [ { "type": "activation", "activation": §"rleu" }, { "units": 3 } ] } } }""", "NG2005"),
        new("activation-layer-alpha.nets.json", """{ "networks": { "t72": { "input": 5, "layers": [ { "units": 4 }, { "type": "activation", "activation": "tanh", §"alpha": 0.2 }, { "units": 3 } ] } } }""", "NG2007"),
        new("activation-layer-units.nets.json", """{ "networks": { "t73": { "input": 5, "layers": [ { "type": "activation", "activation": "relu", §"units": 4 }, { "units": 3 } ] } } }""", "NG2002"),
        new("activation-layers-only.nets.json", """{ "networks": { "t74": { "input": 5, "layers": §[ { "type": "activation", "activation": "tanh" } ] } } }""", "NG2012"),
        new("nesterov-without-momentum.nets.json", """{ "networks": { "t57": { "shape": "5-3", "optimizer": { "type": "sgd", "lr": 0.1, "nesterov": §true } } } }""", "NG2007"),

        // NG2005: unknown enumerated value (points at the value).
        new("unknown-activation.nets.json", """{ "networks": { "t31": { "shape": "5-8-3", "activation": §"rellu" } } }""", "NG2005"),
        new("unknown-layer-type.nets.json", """{ "networks": { "t32": { "input": 5, "layers": [ { "type": §"conv", "units": 3 } ] } } }""", "NG2005"),
        new("unknown-loss.nets.json", """{ "networks": { "t58": { "shape": "5-3", "loss": §"hinge" } } }""", "NG2005"),
        new("unknown-optimizer.nets.json", """{ "networks": { "t59": { "shape": "5-3", "optimizer": { "type": §"rmsprop" } } } }""", "NG2005"),
        new("unknown-initializer.nets.json", """{ "networks": { "t60": { "input": 5, "layers": [ { "units": 3, "init": §"he_normal" } ] } } }""", "NG2005"),

        // NG2006: bad shape string (points at the value).
        new("zero-in-shape.nets.json", """{ "networks": { "t33": { "shape": §"784-0-10" } } }""", "NG2006"),
        new("empty-size-in-shape.nets.json", """{ "networks": { "t34": { "shape": §"784--10" } } }""", "NG2006"),
        new("single-size-shape.nets.json", """{ "networks": { "t35": { "shape": §"784" } } }""", "NG2006"),

        // NG2007: contradicting properties.
        new("shape-and-layers.nets.json", """{ "networks": { "t36": { §"shape": "5-3", "layers": [ { "units": 3 } ] } } }""", "NG2007"),
        new("shape-and-input.nets.json", """{ "networks": { "t37": { "shape": "5-3", §"input": 5 } } }""", "NG2007"),
        new("activation-without-shape.nets.json", """{ "networks": { "t38": { "input": 5, §"activation": "relu", "layers": [ { "units": 3 } ] } } }""", "NG2007"),

        // NG2008: layer names (points at the name value, or at the layer if it has no name).
        new("layer-name-not-identifier.nets.json", """{ "networks": { "t39": { "input": 5, "layers": [ { "name": §"hidden-1", "units": 8 }, { "units": 3 } ] } } }""", "NG2008"),
        new("layer-name-clash.nets.json", """{ "networks": { "t40": { "input": 5, "layers": [ { "units": 4 }, { "name": §"FC_1", "units": 3 } ] } } }""", "NG2008"),
        new("default-name-clash.nets.json", """{ "networks": { "t41": { "input": 5, "layers": [ { "name": "fc2", "units": 4 }, §{ "units": 3 } ] } } }""", "NG2008"),

        // NG2009: too many parameters (points at the network name).
        new("too-many-parameters.nets.json", """{ "networks": { §"t42": { "shape": "100000-2000-2" } } }""", "NG2009"),
    };

    /// <summary>The valid spec files of the binding project: "dup" is in both, so binding it is NG3005.</summary>
    private static readonly (string File, string Text)[] BindingSpecs =
    {
        ("nets.json", """{ "networks": { "tiny": { "shape": "5-7-3", "activation": "relu" }, "dup": { "shape": "5-3" } } }"""),
        ("extra.nets.json", """{ "networks": { "dup": { "shape": "4-2" }, "other": { "shape": "4-3-2" } } }"""),
        // A correct binding in the same build: its generated members compile and are usable.
        ("Program.cs", "System.Console.WriteLine(App.Good.ParameterCount);\n"),
        ("Good.cs", "using NetGen;\nnamespace App;\n[Network(\"tiny\")]\npublic partial class Good;\n"),
        // The first part of Split, whose second part (SplitB.cs, a case below) has a second [Network].
        ("SplitA.cs", "using NetGen;\nnamespace App;\n[Network(\"tiny\")]\npublic partial class Split;\n"),
    };

    /// <summary>C# binding mistakes with valid spec files (points at the attribute argument or the class name).</summary>
    public static readonly BuildCase[] BindingMistakes =
    {
        new("NotFound.cs", "using NetGen;\nnamespace App;\n[Network(§\"mnsit\")]\npublic partial class Typo;\n", "NG3001"),
        new("CaseMatters.cs", "namespace App;\n[NetGen.Network(§\"Tiny\")] public partial class Capital;\n", "NG3001"),
        new("NotPartial.cs", "using NetGen;\nnamespace App;\n[Network(\"tiny\")]\npublic class §Whole { }\n", "NG3003"),
        new("Nested.cs", "using NetGen;\nnamespace App;\npublic partial class Outer\n{\n    [Network(\"tiny\")]\n    public partial class §Inner;\n}\n", "NG3004"),
        new("Generic.cs", "using NetGen;\nnamespace App;\n[Network(\"tiny\")]\npublic partial class §Gen<T>;\n", "NG3004"),
        new("Static.cs", "using NetGen;\nnamespace App;\n[Network(\"tiny\")]\npublic static partial class §Stat { }\n", "NG3004"),
        new("Duplicate.cs", "using NetGen;\nnamespace App;\n[Network(§\"dup\")]\npublic partial class Dup;\n", "NG3005"),
        // NG3006: the first [Network] binds, each further one is reported at its argument, also on another partial declaration.
        new("TwoNetworks.cs", "using NetGen;\nnamespace App;\n[Network(\"tiny\")]\n[Network(§\"other\")]\npublic partial class Two;\n", "NG3006"),
        new("SplitB.cs", "using NetGen;\nnamespace App;\n[Network(§\"other\")]\npublic partial class Split;\n", "NG3006"),
    };

    /// <summary>A [Network] class in a project without any spec file.</summary>
    public static readonly BuildCase[] NoSpecMistakes =
    {
        new("TinyNet.cs", "using NetGen;\nnamespace App;\n\n[Network(§\"tiny\")]\npublic partial class TinyNet;\n", "NG3002"),
    };

    /// <summary>The spec project also has a correct nets.json, which must give no error.</summary>
    private static readonly (string File, string Text)[] SpecProjectFiles =
    {
        ("Program.cs", TopLevelProgram),
        ("nets.json", """{ "networks": { "fine": { "shape": "5-3" } } }"""),
    };

    [Fact]
    public void Spec_mistakes_are_reported_at_their_tokens() =>
        BuildAndCheck(SpecProjectFiles, SpecMistakes);

    [Fact]
    public void Binding_mistakes_are_reported_at_their_attribute_or_class() =>
        BuildAndCheck(BindingSpecs, BindingMistakes);

    [Fact]
    public void A_network_class_without_any_spec_file_is_NG3002() =>
        // No AdditionalFiles item at all, the situation of the NG3002 example in docs/diagnostics.md. (An item
        // naming a missing nets.json gives the compiler's CS2001 and, from NetGen, NG3002 too: MissingSpecFileTests.)
        BuildAndCheck(new[] { ("Program.cs", TopLevelProgram) }, NoSpecMistakes, additionalFiles: null);

    private void BuildAndCheck(IReadOnlyList<(string File, string Text)> files, IReadOnlyList<BuildCase> cases, string? additionalFiles = ConsoleProjectBuild.SpecItems)
    {
        var (output, expected) = ConsoleProjectBuild.Build(files, cases, additionalFiles);
        log.WriteLine($"dotnet build -c {ConsoleProjectBuild.Configuration}: {output.Elapsed.TotalSeconds:F1} s, exit code {output.ExitCode}");
        log.WriteLine(output.Text);
        string context = "\n--- dotnet build output ---\n" + output.Text;

        Assert.True(output.LinesMentioning("CS8785", "AD0001").Count == 0,
            "the generator crashed:\n" + string.Join("\n", output.LinesMentioning("CS8785", "AD0001")) + context);
        Assert.True(output.ExitCode != 0, "the build succeeded despite the mistakes" + context);

        IReadOnlyList<BuildDiagnostic> actual = output.Diagnostics("NG");
        var printedTwice = actual.GroupBy(d => d).Where(g => g.Count() > 1).Select(g => g.Key.ToString()).ToList();
        Assert.True(printedTwice.Count == 0, "reported more than once: " + string.Join(", ", printedTwice) + context);

        var missing = expected.Except(actual).ToList();
        var unexpected = actual.Except(expected).ToList();
        Assert.True(missing.Count == 0 && unexpected.Count == 0,
            "expected but not reported there:\n  " + string.Join("\n  ", missing) +
            "\nreported but not expected:\n  " + string.Join("\n  ", unexpected) + context);

        // NG errors must stand alone here: no case makes the C# code wrong, and the correct binding must compile.
        Assert.True(output.OtherErrors("NG").Count == 0, "errors other than NG:\n" + string.Join("\n", output.OtherErrors("NG")) + context);
    }
}
