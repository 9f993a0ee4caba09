using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// Mutated specs never crash the generator: each one yields either code that compiles without warnings or
/// at least one NG error. The generator runs on every case; only the distinct generated files are compiled.
/// </summary>
public class FuzzTests
{
    private const int Cases = 10_000;

    private static readonly string[] Seeds =
    {
        SourceSnippets.MnistSpec,
        SourceSnippets.TinySpec,
        """
        { "networks": { "tiny": { "input": 5, "layers": [ { "name": "hidden", "units": 7, "activation": "relu" }, { "units": 3, "type": "dense" } ],
          "optimizer": { "type": "adam", "lr": 0.01, "beta1": 0.8 }, "training": { "batch_size": 4, "epochs": 2, "seed": -3 } } } }
        """,
        """
        { "networks": { "tiny": { "input": 5, "layers": [ { "units": 7, "activation": "leaky_relu", "alpha": 0.1, "init": "kaiming_uniform" },
          { "type": "dropout", "rate": 0.25 }, { "units": 6, "activation": "gelu", "bias": false, "init": "xavier_uniform" }, { "units": 1, "activation": "tanh" } ],
          "loss": "binary_cross_entropy", "optimizer": { "type": "sgd", "lr": 0.05, "momentum": 0.9, "nesterov": true, "weight_decay": 0.001 } } } }
        """,
        """
        { "networks": { "tiny": { "input": 5, "layers": [ { "units": 7, "activation": "softplus", "init": "kaiming_normal" }, { "units": 4, "activation": "sigmoid", "init": "zeros" },
          { "units": 3 } ], "loss": "mse", "optimizer": { "type": "adamw", "lr": 0.01, "weight_decay": 0.05, "eps": 1e-6 } } } }
        """,
    };

    private static readonly string[] Tokens =
    {
        "{", "}", "[", "]", ",", ":", "\"", "0", "-1", "1e400", "99999999999999999999", "1.5", "true", "null",
        "\"tiny\"", "\"units\"", "\"relu\"", "\"shape\"", "\"layers\"", "\"input\"", "\"dropout\"", "\"rate\"", "\"type\"", "false", "\\u00e9", "\uFFFD", "\uD800", "\uFEFF", "é", "\t", "\n",
    };

    [Fact]
    public void Ten_thousand_mutated_specs_give_code_or_errors_never_a_crash()
    {
        var random = new Random(20261127);
        var compilation = GeneratorHarness.Compilation(SourceSnippets.TinyClass);
        var compiled = new HashSet<string>();
        int generated = 0, rejected = 0;
        for (int i = 0; i < Cases; i++)
        {
            string spec = Mutate(Seeds[random.Next(Seeds.Length)], random);
            GeneratorDriver driver = GeneratorHarness.Driver(new InMemoryAdditionalText(GeneratorHarness.SpecPath, spec))
                .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
            GeneratorRunResult result = driver.GetRunResult().Results.Single();

            Assert.True(result.Exception is null, $"generator threw on case {i}: {result.Exception}\n{spec}");
            bool hasError = result.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error && d.Id.StartsWith("NG", StringComparison.Ordinal));
            string? code = GeneratorHarness.NetworkSources(result).Length == 0 ? null : GeneratorHarness.NetworkSources(result)[0].SourceText.ToString();
            bool stub = code is not null && code.Contains("was not generated because", StringComparison.Ordinal);
            if (code is null || stub)
            {
                Assert.True(hasError, $"case {i} produced neither code nor an NG error:\n{spec}");
                Assert.True(stub, $"case {i}: an NG error without the class's stub:\n{spec}");
                rejected++;
            }
            else
            {
                generated++;
            }
            // The stubs too compile without a warning (they are the same for most cases, so this costs little).
            if (compiled.Add(code!))
            {
                var problems = GeneratorHarness.CompileDiagnostics(output);
                Assert.True(problems.Count == 0, $"case {i}: generated code does not compile cleanly: {string.Join("; ", problems.Take(3))}\n{spec}");
            }
        }
        // The mutations must exercise both outcomes, or the test proves little.
        Assert.True(generated > 400, $"only {generated} mutated specs were valid");
        Assert.True(rejected > 5000, $"only {rejected} mutated specs were rejected");
    }

    private static string Mutate(string seed, Random random)
    {
        var text = new StringBuilder(seed);
        if (random.Next(4) == 0)
        {
            // A gentle edit that usually keeps the spec valid, so valid specs of many shapes get compiled too.
            ReplaceNumber(text, random, new[] { "1", "2", "3", "9", "16", "33", "65", "0.5", "0.05" }[random.Next(9)]);
            return text.ToString();
        }
        int edits = random.Next(1, 4);
        for (int e = 0; e < edits; e++)
        {
            int at = random.Next(text.Length + 1);
            switch (random.Next(9))
            {
                case 0: // replace one character
                    if (text.Length > 0) text[Math.Min(at, text.Length - 1)] = (char)random.Next(1, 0x250);
                    break;
                case 1: // delete a run
                    if (text.Length > 0) text.Remove(Math.Min(at, text.Length - 1), Math.Min(random.Next(1, 12), text.Length - Math.Min(at, text.Length - 1)));
                    break;
                case 2: // insert a token
                    text.Insert(at, Tokens[random.Next(Tokens.Length)]);
                    break;
                case 3: // swap two runs
                    SwapRuns(text, random);
                    break;
                case 4: // replace a number with an extreme one
                    ReplaceNumber(text, random, new[] { "0", "-7", "2147483648", "1e400", "1e-50", "0.99999999999", "100000000", "3.5" }[random.Next(8)]);
                    break;
                case 5: // deep nesting
                    text.Insert(at, new string('[', random.Next(50, 200)));
                    break;
                case 6: // truncate
                    text.Length = at;
                    break;
                case 7: // the whole file replaced: empty, whitespace, a BOM, a non-object
                    text.Clear().Append(new[] { "", "  \n", "\uFEFF", "[]", "null", "\"networks\"", "{}", "{ \"networks\": [] }" }[random.Next(8)]);
                    break;
                default: // a seed value swapped for a wrong but well-formed one
                    ReplaceNumber(text, random, new[] { "\"32\"", "true", "[]", "{}", "null" }[random.Next(5)]);
                    break;
            }
        }
        return text.ToString();
    }

    private static void SwapRuns(StringBuilder text, Random random)
    {
        if (text.Length < 4) return;
        int a = random.Next(text.Length / 2), b = random.Next(text.Length / 2, text.Length);
        int length = Math.Min(random.Next(1, 8), Math.Min(b - a, text.Length - b));
        if (length <= 0) return;
        string first = text.ToString(a, length), second = text.ToString(b, length);
        text.Remove(b, length).Insert(b, first);
        text.Remove(a, length).Insert(a, second);
    }

    private static void ReplaceNumber(StringBuilder text, Random random, string replacement)
    {
        string s = text.ToString();
        var starts = new List<int>();
        for (int i = 0; i < s.Length; i++)
            if (char.IsDigit(s[i]) && (i == 0 || !char.IsLetterOrDigit(s[i - 1]) && s[i - 1] != '.' && s[i - 1] != '-')) starts.Add(i);
        if (starts.Count == 0) return;
        int start = starts[random.Next(starts.Count)], end = start;
        while (end < s.Length && (char.IsDigit(s[end]) || s[end] is '.' or 'e' or 'E' or '-' or '+')) end++;
        text.Remove(start, end - start).Insert(start, replacement);
    }
}
