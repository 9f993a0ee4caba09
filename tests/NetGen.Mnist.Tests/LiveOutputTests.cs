using System.IO;
using System.Threading;
using Spectre.Console;
using Xunit;

using NetGen.Cli;

namespace NetGen.Mnist.Tests;

/// <summary>The live mode (Spectre progress bars and tables) runs to the same end as plain mode.</summary>
public sealed class LiveOutputTests
{
    private static (int ExitCode, string Out, string Error) RunLive(params string[] args)
    {
        var writer = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.TrueColor,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 120;
        var error = new StringWriter();
        int code = CliCommands.Run(args, App.Context(writer, error, console, CancellationToken.None));
        return (code, writer.ToString(), error.ToString());
    }

    [Fact]
    public void Training_eval_and_predict_in_live_mode()
    {
        using var temp = new TempFolder();
        string model = temp.File("model.safetensors");
        var train = RunLive("train", "--data", SmallMnist.Directory, "--epochs", "2", "--save", model);
        Assert.True(train.ExitCode == 0, train.Out + train.Error);
        Assert.Contains("Epoch 2/2", train.Out);
        Assert.Contains("test ", train.Out); // the finished bar: loss, time and test accuracy
        Assert.Contains("Test accuracy", train.Out); // the table's column
        Assert.Matches(@"\nTest accuracy: \d+\.\d\d% \(\d+/200\)\r?\n$", train.Out);

        var eval = RunLive("eval", "--load", model, "--data", SmallMnist.Directory);
        Assert.True(eval.ExitCode == 0, eval.Out + eval.Error);
        Assert.Contains("Precision", eval.Out);
        Assert.Matches(@"\nTest accuracy: \d+\.\d\d% \(\d+/200\)\r?\n$", eval.Out);

        string digit = temp.File("digit.pgm");
        SmallMnist.WritePgm(digit, 1);
        var predict = RunLive("predict", "--load", model, digit);
        Assert.True(predict.ExitCode == 0, predict.Out + predict.Error);
        Assert.StartsWith(digit + ": ", predict.Out);
    }
}
