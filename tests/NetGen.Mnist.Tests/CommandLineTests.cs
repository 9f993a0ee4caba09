using System.CommandLine;
using System.IO;
using System.Threading;
using Xunit;

using NetGen.Cli;

namespace NetGen.Mnist.Tests;

/// <summary>Commands, options, help and usage errors, as a new user meets them.</summary>
public sealed class CommandLineTests
{
    private static RootCommand Root() => CliCommands.Build(App.Context(TextWriter.Null, TextWriter.Null, null, CancellationToken.None));

    [Fact]
    public void No_arguments_means_train_with_the_spec_defaults()
    {
        ParseResult parse = Root().Parse([]);
        Assert.Empty(parse.Errors);
        Assert.IsType<RootCommand>(parse.CommandResult.Command);
        Assert.NotNull(parse.Action);
    }

    [Fact]
    public void Options_without_a_command_mean_train()
    {
        ParseResult parse = Root().Parse(["--epochs", "5", "--threads", "1"]);
        Assert.Empty(parse.Errors);
        Assert.IsType<RootCommand>(parse.CommandResult.Command);
        Assert.Equal(5, parse.GetValue<int?>("--epochs"));
    }

    [Theory]
    [InlineData("train")]
    [InlineData("eval")]
    [InlineData("predict")]
    public void Commands_exist(string command)
    {
        ParseResult parse = Root().Parse([command]);
        Assert.Equal(command, parse.CommandResult.Command.Name);
    }

    [Theory]
    [InlineData(new string[] { "--help" }, new[] { "train", "eval", "predict", "--epochs", "Examples:", "Exit codes:" })]
    [InlineData(new[] { "train", "--help" }, new[] { "--net", "--data", "--train-images", "--epochs", "--batch-size", "--lr", "--seed", "--threads", "--save", "--resume", "--plot", "--metrics", "Examples:", "--resume model.safetensors", "Exit codes:" })]
    [InlineData(new[] { "eval", "--help" }, new[] { "--load", "--net", "--data", "--plot", "Examples:", "eval --load model.safetensors" })]
    [InlineData(new[] { "predict", "--help" }, new[] { "--load", "--net", "IMAGE", "PNG, JPEG, WebP, GIF, BMP, ICO, WBMP or PGM", "told from the content, not the file name", "Examples:", "predict --load model.safetensors digit.png" })]
    public void Help_of_every_command_lists_its_options_and_examples(string[] args, string[] expected)
    {
        RunResult run = App.Run(args);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Usage:", run.Out);
        foreach (string text in expected) Assert.Contains(text, run.Out);
        Assert.Equal("", run.Error);
    }

    /// <summary>Runs the program and checks for the two lines every usage error gives: <c>error: ...</c>, and where help is.</summary>
    private static RunResult AssertUsageError(string[] args, string command = "netgen-mnist")
    {
        RunResult run = App.Run(args);
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal(2, run.ErrorLines.Length);
        Assert.StartsWith("error: ", run.ErrorLines[0]);
        Assert.Equal($"Run '{command} --help' for its options and examples.", run.ErrorLines[1]);
        Assert.DoesNotContain("   at ", run.Error);
        Assert.Equal("", run.Out);
        return run;
    }

    [Theory]
    [InlineData("error: unknown option '--bogus'", "train", "--bogus")]
    [InlineData("error: unknown option '--epochs'", "eval", "--load", "m.safetensors", "--epochs", "3")]
    [InlineData("error: unknown option '-x'", "train", "-x")]
    [InlineData("error: unexpected argument 'extra'", "train", "extra")]
    public void Unknown_option_is_a_usage_error(string line, params string[] args)
    {
        RunResult run = AssertUsageError(args, args[0] is "train" or "eval" ? $"netgen-mnist {args[0]}" : "netgen-mnist");
        Assert.Equal(line, run.ErrorLines[0]);
    }

    [Theory]
    [InlineData("--epoch", "5", "error: unknown option '--epoch' (did you mean '--epochs'?)")]
    [InlineData("train", "--sav", "m.safetensors", "error: unknown option '--sav' (did you mean '--save'?)")]
    [InlineData("prdict", "digit.png", "error: unknown command 'prdict' (did you mean 'predict'?)")]
    public void Typos_get_a_suggestion(params string[] argsAndLine)
    {
        string[] args = argsAndLine[..^1];
        RunResult run = AssertUsageError(args, args[0] == "train" ? "netgen-mnist train" : "netgen-mnist");
        Assert.Equal(argsAndLine[^1], run.ErrorLines[0]);
    }

    [Fact]
    public void Unknown_command_is_a_usage_error()
    {
        RunResult run = AssertUsageError(["evaluate", "--load", "m.safetensors"]);
        Assert.Equal("error: unknown command 'evaluate' (did you mean 'eval'?)", run.ErrorLines[0]);
    }

    [Theory]
    [InlineData("--epochs", "abc", "error: --epochs needs a whole number of at least 1; got 'abc'")]
    [InlineData("--epochs", "0", "error: --epochs needs a whole number of at least 1; got '0'")]
    [InlineData("--batch-size", "-4", "error: --batch-size needs a whole number of at least 1; got '-4'")]
    [InlineData("--batch-size", "99999999999", "error: --batch-size needs a whole number of at least 1; got '99999999999'")]
    [InlineData("--lr", "fast", "error: --lr needs a number greater than 0, such as 0.001; got 'fast'")]
    [InlineData("--lr", "0", "error: --lr needs a number greater than 0, such as 0.001; got '0'")]
    [InlineData("--lr", "-0.1", "error: --lr needs a number greater than 0, such as 0.001; got '-0.1'")]
    [InlineData("--seed", "one", "error: --seed needs a whole number; got 'one'")]
    [InlineData("--threads", "0", "error: --threads needs a whole number from 1 to 256; got '0'")]
    [InlineData("--threads", "1000", "error: --threads needs a whole number from 1 to 256; got '1000'")]
    [InlineData("--train-images", "0", "error: --train-images needs a whole number from 1 to 60000; got '0'")]
    [InlineData("--train-images", "60001", "error: --train-images needs a whole number from 1 to 60000; got '60001'")]
    [InlineData("--train-images", "many", "error: --train-images needs a whole number from 1 to 60000; got 'many'")]
    [InlineData("--train-images", "1e4", "error: --train-images needs a whole number from 1 to 60000; got '1e4'")]
    [InlineData("--epochs", null, "error: required argument missing for option: '--epochs'")]
    [InlineData("--net", "other", "error: --net needs a network of nets.json: 'breast_cancer', 'diabetes', 'mnist', 'mnist_cnn'; got 'other'")]
    public void Bad_values_are_one_error_line(string option, string? value, string line)
    {
        string[] given = value is null ? [option] : [option, value];
        Assert.Equal(line, AssertUsageError(given).ErrorLines[0]);
        Assert.Equal(line, AssertUsageError(["train", .. given], "netgen-mnist train").ErrorLines[0]);
    }

    /// <summary>An empty string names no file or folder: refused by the parser, as a bad value is, not by the code that would use it.</summary>
    [Theory]
    [InlineData("error: --data needs a folder or file name, not an empty string", "train", "--data", "")]
    [InlineData("error: --data needs a folder or file name, not an empty string", "eval", "--load", "m.safetensors", "--data", "")]
    [InlineData("error: --resume needs a file name, not an empty string", "train", "--resume", "")]
    [InlineData("error: --load needs a file name, not an empty string", "eval", "--load", "")]
    [InlineData("error: --load needs a file name, not an empty string", "predict", "--load", "", "digit.png")]
    [InlineData("error: IMAGE needs a file name, not an empty string", "predict", "--load", "m.safetensors", "")]
    public void Empty_file_and_folder_names_are_usage_errors(string line, params string[] args) =>
        Assert.Equal(line, AssertUsageError(args, $"netgen-mnist {args[0]}").ErrorLines[0]);

    /// <summary>The network's buffers hold at most 2^29 - 1 values a batch; mnist's widest row is its 784 inputs.</summary>
    [Theory]
    [InlineData(684_785)]
    [InlineData(1_000_000_000)]
    [InlineData(int.MaxValue)]
    public void A_batch_too_large_for_the_network_is_a_usage_error_naming_the_largest(int batch)
    {
        using var temp = new TempFolder();
        RunResult run = App.Run("train", "--data", Idx.WriteSynthetic(temp), "--batch-size", batch.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal([$"error: --batch-size {batch} is too large for network \"mnist\": its buffers allow at most 684784 images a batch"], run.ErrorLines);
        Assert.Equal("", run.Out);
    }

    [Theory]
    [InlineData("mnsit", "train", "--net", "mnsit")]
    [InlineData("mnsit", "--net", "mnsit")]
    [InlineData("lenet", "eval", "--load", "m.safetensors", "--net", "lenet")]
    [InlineData("lenet", "predict", "--load", "m.safetensors", "--net", "lenet", "digit.png")]
    public void Unknown_network_is_an_error_listing_the_valid_ones(string name, params string[] args)
    {
        RunResult run = AssertUsageError(args, args[0].StartsWith('-') ? "netgen-mnist" : $"netgen-mnist {args[0]}");
        Assert.Equal($"error: --net needs a network of nets.json: 'breast_cancer', 'diabetes', 'mnist', 'mnist_cnn'; got '{name}'", run.ErrorLines[0]);
    }

    [Fact]
    public void Eval_and_predict_need_a_model_file()
    {
        Assert.Equal("error: option '--load' is required", AssertUsageError(["eval"], "netgen-mnist eval").ErrorLines[0]);
        Assert.Equal("error: option '--load' is required", AssertUsageError(["predict", "digit.png"], "netgen-mnist predict").ErrorLines[0]);
    }

    [Fact]
    public void Predict_needs_an_image()
    {
        RunResult run = App.Run("predict", "--load", "m.safetensors");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["error: predict needs IMAGE files, or --csv FILE.csv."], run.ErrorLines);
    }

    [Fact]
    public void Seed_cannot_be_combined_with_resume()
    {
        using var temp = new TempFolder();
        string model = temp.File("m.safetensors");
        File.WriteAllBytes(model, [1, 2, 3]);
        RunResult run = App.Run("train", "--resume", model, "--seed", "3", "--data", Idx.WriteSynthetic(temp));
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: --seed cannot be used with --resume: the saved run continues with its own weights and shuffle order.", run.Error.Trim());
    }

    [Fact]
    public void Output_files_must_be_in_an_existing_folder()
    {
        using var temp = new TempFolder();
        string data = Idx.WriteSynthetic(temp);
        foreach (string option in new[] { "--save", "--metrics", "--plot" })
        {
            string path = Path.Combine(temp.Path, "missing", "out.file");
            RunResult run = App.Run("train", "--data", data, option, path);
            Assert.Equal(1, run.ExitCode);
            Assert.StartsWith($"error: {path}: folder ", run.Error);
            Assert.Contains($"does not exist ({option})", run.Error);

            RunResult folder = App.Run("train", "--data", data, option, temp.Path);
            Assert.Equal(1, folder.ExitCode);
            Assert.Equal($"error: {temp.Path}: is a folder; {option} needs a file name.", folder.Error.Trim());
        }
    }
}
