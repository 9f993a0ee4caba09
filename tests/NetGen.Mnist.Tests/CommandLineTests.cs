using System.CommandLine;
using System.IO;
using System.Threading;
using Xunit;

namespace NetGen.Mnist.Tests;

/// <summary>Commands, options, help and usage errors, as a new user meets them.</summary>
public sealed class CommandLineTests
{
    private static RootCommand Root() => Cli.Build(new CliContext(TextWriter.Null, TextWriter.Null, null, CancellationToken.None));

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
    [InlineData(new[] { "train", "--help" }, new[] { "--net", "--data", "--epochs", "--batch-size", "--lr", "--seed", "--threads", "--save", "--resume", "--plot", "--metrics", "Examples:", "--resume model.safetensors", "Exit codes:" })]
    [InlineData(new[] { "eval", "--help" }, new[] { "--load", "--net", "--data", "--plot", "Examples:", "eval --load model.safetensors" })]
    [InlineData(new[] { "predict", "--help" }, new[] { "--load", "--net", "IMAGE", "Examples:", "predict --load model.safetensors digit.png" })]
    public void Help_of_every_command_lists_its_options_and_examples(string[] args, string[] expected)
    {
        RunResult run = App.Run(args);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Usage:", run.Out);
        foreach (string text in expected) Assert.Contains(text, run.Out);
        Assert.Equal("", run.Error);
    }

    [Theory]
    [InlineData("--epoch", "5")]
    [InlineData("train", "--bogus")]
    [InlineData("eval", "--load", "m.safetensors", "--epochs", "3")]
    public void Unknown_option_is_a_usage_error(params string[] args)
    {
        RunResult run = App.Run(args);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Unrecognized command or argument", run.Error);
        Assert.EndsWith("--help' for its options and examples.", run.ErrorLines[^1]);
        Assert.DoesNotContain("   at ", run.Error);
        Assert.Equal("", run.Out);
    }

    [Theory]
    [InlineData("--epoch", "5", "Did you mean '--epochs' for '--epoch'?")]
    [InlineData("train", "--sav", "m.safetensors", "Did you mean '--save' for '--sav'?")]
    [InlineData("prdict", "digit.png", "Did you mean 'predict' for 'prdict'?")]
    public void Typos_get_a_suggestion(params string[] argsAndSuggestion)
    {
        RunResult run = App.Run(argsAndSuggestion[..^1]);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(argsAndSuggestion[^1], run.ErrorLines);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void Unknown_command_is_a_usage_error()
    {
        RunResult run = App.Run("evaluate", "--load", "m.safetensors");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("'evaluate'", run.Error);
    }

    [Theory]
    [InlineData("--epochs", "abc", "--epochs needs a whole number of at least 1; got 'abc'.")]
    [InlineData("--epochs", "0", "--epochs needs a whole number of at least 1; got '0'.")]
    [InlineData("--batch-size", "-4", "--batch-size needs a whole number of at least 1; got '-4'.")]
    [InlineData("--lr", "fast", "--lr needs a number greater than 0, such as 0.001; got 'fast'.")]
    [InlineData("--lr", "0", "--lr needs a number greater than 0, such as 0.001; got '0'.")]
    [InlineData("--lr", "-0.1", "--lr needs a number greater than 0, such as 0.001; got '-0.1'.")]
    [InlineData("--seed", "one", "--seed needs a whole number; got 'one'.")]
    [InlineData("--threads", "0", "--threads needs a whole number from 1 to 256; got '0'.")]
    [InlineData("--threads", "1000", "--threads needs a whole number from 1 to 256; got '1000'.")]
    public void Bad_numbers_are_usage_errors(string option, string value, string message)
    {
        foreach (string[] args in new[] { new[] { option, value }, new[] { "train", option, value } })
        {
            RunResult run = App.Run(args);
            Assert.True(run.ExitCode == 1, run.ToString());
            Assert.Contains(message, run.Error);
            Assert.Equal("", run.Out.Trim());
        }
    }

    [Theory]
    [InlineData("mnsit", "train", "--net", "mnsit")]
    [InlineData("mnsit", "--net", "mnsit")]
    [InlineData("lenet", "eval", "--load", "m.safetensors", "--net", "lenet")]
    [InlineData("lenet", "predict", "--load", "m.safetensors", "--net", "lenet", "digit.png")]
    public void Unknown_network_is_an_error_listing_the_valid_ones(string name, params string[] args)
    {
        RunResult run = App.Run(args);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"'{name}'", run.Error);
        Assert.Contains("'mnist'", run.Error);
    }

    [Fact]
    public void Eval_and_predict_need_a_model_file()
    {
        RunResult eval = App.Run("eval");
        Assert.Equal(1, eval.ExitCode);
        Assert.Contains("--load", eval.Error);

        RunResult predict = App.Run("predict", "digit.png");
        Assert.Equal(1, predict.ExitCode);
        Assert.Contains("--load", predict.Error);
    }

    [Fact]
    public void Predict_needs_an_image()
    {
        RunResult run = App.Run("predict", "--load", "m.safetensors");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["Required argument missing for command: 'predict'.", "Run 'netgen-mnist predict --help' for its options and examples."], run.ErrorLines);
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
