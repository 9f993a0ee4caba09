using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator.Language;
using NetGen.Generator.Model;
using NetGen.Generator.Spec;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// The fit loop's settings in <c>"training"</c> (validation_split, early_stopping, clip_grad_norm, schedule): what the parser
/// reads, PyTorch's defaults where the spec is silent, each mistake's NG error at its token, and the Defaults they generate.
/// </summary>
public class TrainingSpecTests
{
    private const string Prefix = """{ "networks": { "tiny": { "shape": "5-3", "training": """;
    private const string Suffix = " } } }";

    private static TrainingSpec Parse(string training)
    {
        SpecFile file = SpecParser.Parse("/project/nets.json", SourceText.From(Prefix + training + Suffix));
        Assert.Empty(file.Diagnostics);
        return Assert.Single(file.Networks).Training;
    }

    private static string[] Errors(string training)
    {
        var (result, _) = GeneratorHarness.Run(Prefix + training + Suffix, SourceSnippets.TinyClass);
        Assert.Null(result.Exception);
        return result.Diagnostics.Select(GeneratorHarness.Describe).ToArray();
    }

    private static string Message(string training)
    {
        var (result, _) = GeneratorHarness.Run(Prefix + training + Suffix, SourceSnippets.TinyClass);
        return Assert.Single(result.Diagnostics).GetMessage();
    }

    [Fact]
    public void Without_the_fit_settings_none_is_set()
    {
        TrainingSpec training = Parse("""{ "batch_size": 8 }""");
        Assert.Equal(new TrainingSpec(8, SpecDefaults.Epochs, SpecDefaults.Seed), training);
        Assert.Null(training.ValidationSplit);
        Assert.Null(training.EarlyStopping);
        Assert.Null(training.ClipGradNorm);
        Assert.Null(training.Schedule);
    }

    [Fact]
    public void Every_fit_setting_is_read()
    {
        TrainingSpec training = Parse("""
            { "validation_split": 0.2, "early_stopping": { "patience": 4, "min_delta": 0.01, "restore_best": false },
              "clip_grad_norm": 2.5, "schedule": { "type": "step", "step_size": 30, "gamma": 0.5 } }
            """);
        Assert.Equal(0.2, training.ValidationSplit);
        Assert.Equal(new EarlyStopping(4, 0.01, false), training.EarlyStopping);
        Assert.Equal(2.5, training.ClipGradNorm);
        Assert.Equal(new Schedule(ScheduleType.Step) { StepSize = 30, Gamma = 0.5 }, training.Schedule);
    }

    [Theory]
    [InlineData("""{ "type": "step", "step_size": 3 }""")]
    [InlineData("""{ "type": "exponential", "gamma": 0.95 }""")]
    [InlineData("""{ "type": "cosine" }""")]
    [InlineData("""{ "type": "cosine", "t_max": 100, "eta_min": 0.001 }""")]
    [InlineData("""{ "type": "warmup_cosine", "warmup_steps": 100 }""")]
    [InlineData("""{ "type": "warmup_cosine", "warmup_steps": 100, "start_factor": 0.25, "eta_min": 1e-5 }""")]
    [InlineData("""{ "type": "reduce_on_plateau" }""")]
    [InlineData("""{ "type": "reduce_on_plateau", "factor": 0.5, "patience": 0, "threshold": 0.01, "cooldown": 2, "min_lr": 1e-6 }""")]
    public void Each_schedule_is_read_with_pytorchs_defaults(string schedule)
    {
        Schedule expected = schedule switch
        {
            """{ "type": "step", "step_size": 3 }""" => new(ScheduleType.Step) { StepSize = 3, Gamma = 0.1 },
            """{ "type": "exponential", "gamma": 0.95 }""" => new(ScheduleType.Exponential) { Gamma = 0.95 },
            """{ "type": "cosine" }""" => new(ScheduleType.Cosine) { TMax = null, EtaMin = 0 },
            """{ "type": "cosine", "t_max": 100, "eta_min": 0.001 }""" => new(ScheduleType.Cosine) { TMax = 100, EtaMin = 0.001 },
            """{ "type": "warmup_cosine", "warmup_steps": 100 }""" => new(ScheduleType.WarmupCosine) { WarmupSteps = 100, StartFactor = 1.0 / 3, EtaMin = 0 },
            """{ "type": "reduce_on_plateau" }""" => new(ScheduleType.ReduceOnPlateau) { Factor = 0.1, Patience = 10, Threshold = 1e-4, Cooldown = 0, MinLr = 0 },
            """{ "type": "reduce_on_plateau", "factor": 0.5, "patience": 0, "threshold": 0.01, "cooldown": 2, "min_lr": 1e-6 }""" =>
                new(ScheduleType.ReduceOnPlateau) { Factor = 0.5, Patience = 0, Threshold = 0.01, Cooldown = 2, MinLr = 1e-6 },
            _ => new(ScheduleType.WarmupCosine) { WarmupSteps = 100, StartFactor = 0.25, EtaMin = 1e-5 },
        };
        Assert.Equal(expected, Parse("""{ "schedule": """ + schedule + " }").Schedule);
    }

    [Fact]
    public void Early_stopping_defaults_to_keras_min_delta_and_restoring_the_best_weights()
    {
        Assert.Equal(new EarlyStopping(10, 0, true), Parse("""{ "early_stopping": { "patience": 10 } }""").EarlyStopping);
    }

    [Theory]
    // Columns count from the prefix { "networks": { "tiny": { "shape": "5-3", "training": , whose training object starts at column 55.
    [InlineData("""{ "validation_split": 1 }""", "NG2004@1:77")]
    [InlineData("""{ "validation_split": 0 }""", "NG2004@1:77")]
    [InlineData("""{ "validation_split": "0.2" }""", "NG2003@1:77")]
    [InlineData("""{ "validation_splt": 0.2 }""", "NG2002@1:57")]
    [InlineData("""{ "early_stopping": 5 }""", "NG2003@1:75")]
    [InlineData("""{ "early_stopping": {} }""", "NG2001@1:75")]
    [InlineData("""{ "early_stopping": { "patience": 0 } }""", "NG2004@1:89")]
    [InlineData("""{ "early_stopping": { "patience": 2.5 } }""", "NG2003@1:89")]
    [InlineData("""{ "early_stopping": { "patience": 3, "min_delta": -1 } }""", "NG2004@1:105")]
    [InlineData("""{ "early_stopping": { "patience": 3, "restore_best": "yes" } }""", "NG2003@1:108")]
    [InlineData("""{ "early_stopping": { "patience": 3, "min_detla": 0.1 } }""", "NG2002@1:92")]
    [InlineData("""{ "clip_grad_norm": 0 }""", "NG2004@1:75")]
    [InlineData("""{ "clip_grad_norm": -1 }""", "NG2004@1:75")]
    [InlineData("""{ "clip_grad_norm": 1e400 }""", "NG2004@1:75")]
    [InlineData("""{ "clip_grad_norm": "1" }""", "NG2003@1:75")]
    [InlineData("""{ "schedule": "cosine" }""", "NG2003@1:69")]
    [InlineData("""{ "schedule": {} }""", "NG2001@1:57")]
    [InlineData("""{ "schedule": { "type": 1 } }""", "NG2003@1:79")]
    [InlineData("""{ "schedule": { "type": "cosin" } }""", "NG2005@1:79")]
    [InlineData("""{ "schedule": { "type": "step" } }""", "NG2001@1:69")]
    [InlineData("""{ "schedule": { "type": "step", "step_size": 0 } }""", "NG2004@1:100")]
    [InlineData("""{ "schedule": { "type": "step", "step_size": 3, "gamma": 0 } }""", "NG2004@1:112")]
    [InlineData("""{ "schedule": { "type": "step", "step_size": 3, "gama": 0.5 } }""", "NG2002@1:103")]
    [InlineData("""{ "schedule": { "type": "exponential" } }""", "NG2001@1:69")]
    [InlineData("""{ "schedule": { "type": "exponential", "gamma": -0.5 } }""", "NG2004@1:103")]
    [InlineData("""{ "schedule": { "type": "cosine", "t_max": 0 } }""", "NG2004@1:98")]
    [InlineData("""{ "schedule": { "type": "cosine", "t_max": 2.5 } }""", "NG2003@1:98")]
    [InlineData("""{ "schedule": { "type": "cosine", "eta_min": -0.1 } }""", "NG2004@1:100")]
    [InlineData("""{ "schedule": { "type": "cosine", "step_size": 3 } }""", "NG2002@1:89")]
    [InlineData("""{ "schedule": { "type": "warmup_cosine" } }""", "NG2001@1:69")]
    [InlineData("""{ "schedule": { "type": "warmup_cosine", "warmup_steps": 0 } }""", "NG2004@1:112")]
    [InlineData("""{ "schedule": { "type": "warmup_cosine", "warmup_steps": 10, "start_factor": 0 } }""", "NG2004@1:132")]
    [InlineData("""{ "schedule": { "type": "warmup_cosine", "warmup_steps": 10, "start_factor": 1.5 } }""", "NG2004@1:132")]
    [InlineData("""{ "schedule": { "type": "reduce_on_plateau", "factor": 1 } }""", "NG2004@1:110")]
    [InlineData("""{ "schedule": { "type": "reduce_on_plateau", "patience": -1 } }""", "NG2004@1:112")]
    [InlineData("""{ "schedule": { "type": "reduce_on_plateau", "threshold": -1 } }""", "NG2004@1:113")]
    [InlineData("""{ "schedule": { "type": "reduce_on_plateau", "cooldown": 1.5 } }""", "NG2003@1:112")]
    [InlineData("""{ "schedule": { "type": "reduce_on_plateau", "min_lr": -1 } }""", "NG2004@1:110")]
    [InlineData("""{ "schedule": { "type": "reduce_on_plateau", "mode": "max" } }""", "NG2002@1:100")]
    public void Mistakes_in_the_fit_settings_point_at_the_token(string training, string expected)
    {
        Assert.Equal(new[] { expected }, Errors(training));
    }

    [Theory]
    [InlineData("""{ "validation_split": 1 }""", "\"validation_split\" is 1, but it must be greater than 0 and less than 1")]
    [InlineData("""{ "clip_grad_norm": 1e400 }""", "\"clip_grad_norm\" is 1e400, but it must be greater than 0 and fit in a double")]
    [InlineData("""{ "schedule": { "type": "warmup_cosine", "warmup_steps": 10, "start_factor": 1.5 } }""", "\"start_factor\" is 1.5, but it must be greater than 0 and at most 1")]
    [InlineData("""{ "early_stopping": {} }""", "The early stopping of network \"tiny\" needs the property \"patience\"")]
    [InlineData("""{ "schedule": {} }""", "The schedule of network \"tiny\" needs the property \"type\": \"step\", \"exponential\", \"cosine\", \"warmup_cosine\" or \"reduce_on_plateau\"")]
    [InlineData("""{ "schedule": { "type": "exponential" } }""", "The schedule of network \"tiny\" (exponential) needs the property \"gamma\", the factor of each epoch's decay: exponential has no default one, as in PyTorch")]
    [InlineData("""{ "schedule": { "type": "cosin" } }""", "Unknown schedule \"cosin\"; valid values: step, exponential, cosine, warmup_cosine, reduce_on_plateau (did you mean \"cosine\"?)")]
    [InlineData("""{ "schedule": { "type": "cosine", "step_size": 3 } }""", "Unknown property \"step_size\" in the schedule of network \"tiny\" (cosine); known properties: type, t_max, eta_min")]
    [InlineData("""{ "schedule": { "type": "step", "step_size": 3, "gama": 0.5 } }""", "Unknown property \"gama\" in the schedule of network \"tiny\" (step); did you mean \"gamma\"?")]
    [InlineData("""{ "early_stopping": { "patience": 3, "min_detla": 0.1 } }""", "Unknown property \"min_detla\" in the early stopping of network \"tiny\"; did you mean \"min_delta\"?")]
    [InlineData("""{ "validation_splt": 0.2 }""", "Unknown property \"validation_splt\" in the training section of network \"tiny\"; did you mean \"validation_split\"?")]
    public void Messages_say_what_to_change(string training, string message)
    {
        Assert.Equal(message, Message(training));
    }

    [Theory]
    // With an unknown type, a property of some schedule is not reported too (only what no schedule knows).
    [InlineData("""{ "schedule": { "type": "cosin", "t_max": 10 } }""", "NG2005@1:79")]
    [InlineData("""{ "schedule": { "t_max": 10 } }""", "NG2001@1:57")]
    public void A_mistake_in_the_schedule_type_does_not_cascade(string training, string expected)
    {
        Assert.Equal(new[] { expected }, Errors(training));
    }

    [Fact]
    public void Every_schedule_generates_defaults_that_compile()
    {
        const string spec = """
            { "networks": {
              "step": { "shape": "5-3", "training": { "validation_split": 0.2, "clip_grad_norm": 1,
                "early_stopping": { "patience": 3, "min_delta": 0.001, "restore_best": false },
                "schedule": { "type": "step", "step_size": 30 } } },
              "exponential": { "shape": "5-3", "training": { "schedule": { "type": "exponential", "gamma": 0.95 } } },
              "cosine": { "shape": "5-3", "training": { "schedule": { "type": "cosine" } } },
              "warmup": { "shape": "5-3", "training": { "schedule": { "type": "warmup_cosine", "warmup_steps": 100 } } },
              "plateau": { "shape": "5-3", "training": { "schedule": { "type": "reduce_on_plateau", "patience": 2 } } },
              "plain": { "shape": "5-3" } } }
            """;
        string[] names = { "step", "exponential", "cosine", "warmup", "plateau", "plain" };
        string source = "namespace MyApp;\n" + string.Join("\n", names.Select(n => $"[NetGen.Network(\"{n}\")] public partial class {char.ToUpperInvariant(n[0]) + n.Substring(1)}Net;"));
        var (result, output) = GeneratorHarness.Run(spec, source);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.CompileDiagnostics(output));
        // The generated lines without their indentation.
        string Code(string name) => string.Join("\n",
            result.GeneratedSources.Single(s => s.HintName == $"MyApp.{name}Net.g.cs").SourceText.ToString().Split('\n').Select(l => l.Trim()));
        Assert.Contains("""
            public global::NetGen.TrainingDefaults Defaults => new(DefaultBatchSize, DefaultEpochs, DefaultSeed)
            {
            ValidationSplit = 0.2,
            Patience = 3,
            MinDelta = 0.001,
            RestoreBest = false,
            ClipNorm = 1.0,
            Schedule = global::NetGen.ScheduleSettings.Step(stepSize: 30, gamma: 0.1),
            };
            """, Code("Step"));
        Assert.Contains("Schedule = global::NetGen.ScheduleSettings.Exponential(gamma: 0.95),", Code("Exponential"));
        Assert.Contains("Schedule = global::NetGen.ScheduleSettings.Cosine(etaMin: 0.0),", Code("Cosine"));
        Assert.Contains("Schedule = global::NetGen.ScheduleSettings.WarmupCosine(warmupSteps: 100, startFactor: 0.3333333333333333, etaMin: 0.0),", Code("Warmup"));
        Assert.Contains("global::NetGen.ScheduleSettings.ReduceOnPlateau(", Code("Plateau"));
        Assert.Contains("public global::NetGen.TrainingDefaults Defaults => new(DefaultBatchSize, DefaultEpochs, DefaultSeed);", Code("Plain"));
    }
}
