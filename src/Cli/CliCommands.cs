using System;
using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.IO;
using System.Linq;
using System.Threading;
using Spectre.Console;

namespace NetGen.Cli;

/// <summary>
/// The command line: <c>train</c> (also the default: no command, or options without a command), <c>eval</c>,
/// <c>predict</c> and <c>export</c>. <see cref="NetGenCli"/> wires the console and Ctrl+C to <see cref="Run"/>.
/// </summary>
internal static class CliCommands
{
    /// <summary>Runs the command line and returns its exit code (<see cref="ExitCodes"/>).</summary>
    internal static int Run(string[] args, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(args);
        RootCommand root = Build(context);
        ParseResult parse = root.Parse(args);
        if (parse.Action is ParseErrorAction) return UsageError(parse, context);
        return parse.Invoke(new InvocationConfiguration
        {
            Output = context.Out,
            Error = context.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        });
    }

    /// <summary>
    /// A command line the parser refused: one <c>error:</c> line, as every other error, with its first problem (an unknown
    /// name with the known one it is closest to; what follows an unknown name is mostly its consequence), then where the
    /// command's help is.
    /// </summary>
    private static int UsageError(ParseResult parse, CliContext context)
    {
        Command command = parse.CommandResult.Command;
        string message = parse.Errors[0].Message;
        string problem = UnknownTokenIn(message, parse.UnmatchedTokens) is { } token
            ? Unknown(token, command, isFirst: parse.Tokens.Count > 0 && parse.Tokens[0].Value == token)
            : Clause(message);
        context.Error.WriteLine("error: " + OneLine(problem));
        string name = command is RootCommand ? context.ProgramName : $"{context.ProgramName} {command.Name}";
        context.Error.WriteLine($"Run '{name} --help' for its options and examples.");
        context.Error.Flush();
        return ExitCodes.BadInput;
    }

    /// <summary>The token System.CommandLine's message is about if it is "Unrecognized command or argument 'TOKEN'.", else null.</summary>
    private static string? UnknownTokenIn(string message, IReadOnlyList<string> unmatched) =>
        unmatched.FirstOrDefault(token => message == $"Unrecognized command or argument '{token}'.");

    /// <summary>"unknown option '--epoch' (did you mean '--epochs'?)", "unknown command 'prdict' (...)" or "unexpected argument '5'".</summary>
    private static string Unknown(string token, Command command, bool isFirst)
    {
        if (token.StartsWith('-'))
        {
            var options = command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal));
            return $"unknown option '{token}'" + DidYouMean(token, options);
        }
        if (command is RootCommand && isFirst) return $"unknown command '{token}'" + DidYouMean(token, command.Subcommands.Select(c => c.Name));
        return $"unexpected argument '{token}'";
    }

    /// <summary>A message of System.CommandLine or of a validator as the error line's words: lower-case first, no final full stop.</summary>
    private static string Clause(string message)
    {
        string clause = message.Trim().TrimEnd('.');
        return clause.Length > 1 && char.IsUpper(clause[0]) && char.IsLower(clause[1]) ? char.ToLowerInvariant(clause[0]) + clause[1..] : clause;
    }

    /// <summary>" (did you mean '--epochs'?)" when a known name is close to <paramref name="token"/>, else "".</summary>
    private static string DidYouMean(string token, IEnumerable<string> known)
    {
        string? best = known
            .Select(name => (name, distance: Distance(token, name)))
            .Where(c => c.distance <= Math.Max(2, c.name.Length / 3) || (token.Length >= 3 && (c.name.StartsWith(token, StringComparison.Ordinal) || token.StartsWith(c.name, StringComparison.Ordinal))))
            .OrderBy(c => c.distance)
            .Select(c => c.name)
            .FirstOrDefault();
        return best is not null && best != token ? $" (did you mean '{best}'?)" : "";
    }

    /// <summary>Levenshtein distance.</summary>
    private static int Distance(string a, string b)
    {
        var row = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) row[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }

    /// <summary>Whether output should be plain lines rather than live progress: redirected output, or a CI environment variable set.</summary>
    public static bool PlainOutputWanted() =>
        Console.IsOutputRedirected || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    /// <summary>The command tree; <paramref name="context"/> is what the actions write to.</summary>
    internal static RootCommand Build(CliContext context)
    {
        var rootOptions = new TrainOptionSet(context);
        var root = new RootCommand(
            "Trains, evaluates and runs the networks of nets.json with NetGen's generated code, on the rows of CSV files (--data FILE.csv) " +
            "or on MNIST's images (IDX files). " +
            "Without a command it trains: options given without a command are train's.");
        rootOptions.AddTo(root);
        root.SetAction(parse => Guard(context, () => TrainCommand.Run(rootOptions.Read(parse), context)));

        var trainOptions = new TrainOptionSet(context);
        var train = new Command("train", "Trains a network (the default command): on a CSV file's rows (--data FILE.csv, validation after every epoch), or on MNIST, evaluating it on the test set after every epoch and ending with the line \"Test accuracy: 97.62% (9762/10000)\".");
        trainOptions.AddTo(train);
        train.SetAction(parse => Guard(context, () => TrainCommand.Run(trainOptions.Read(parse), context)));

        var evalLoad = LoadOption();
        var evalNet = NetOption(context);
        var evalData = DataOption();
        var evalPlot = new Option<string?>("--plot")
        {
            Description = "Also draw the misclassified test images (up to 100) with their labels and predictions into this PNG file.",
            HelpName = "FILE.png",
        };
        var evalLabel = LabelOption("The label column of a CSV --data file. Default: the one the model was trained with.");
        var eval = new Command("eval", "Evaluates a saved model on the MNIST test set (confusion matrix, per-class precision and recall, and the accuracy line training ends with), or on a CSV file's rows (--data FILE.csv). Accepts files written by PyTorch (safetensors without metadata) for the chosen --net, and ONNX files (FILE.onnx: export --onnx's, or torch.onnx.export's with --net).")
        {
            evalLoad, evalNet, evalData, evalPlot, evalLabel,
        };
        eval.SetAction(parse => Guard(context, () =>
        {
            var settings = new EvalSettings(parse.GetValue(evalLoad)!, parse.GetValue(evalNet), parse.GetValue(evalData), parse.GetValue(evalPlot)) { Label = parse.GetValue(evalLabel) };
            return TableCommands.IsTable(settings.Data, settings.Label) ? TableCommands.Eval(settings, context) : EvalCommand.Run(settings, context);
        }));

        var predictLoad = LoadOption();
        var predictNet = NetOption(context);
        var images = new Argument<string[]>("IMAGE")
        {
            Description = $"Image files ({DigitImage.Formats}; a GIF's first frame; the format is told from the content, not the file name; a photo is turned upright by its Exif orientation; at most {DigitImage.MaxFileBytes / 1_000_000} MB and {DigitImage.MaxPixels / 1_000_000} megapixels) of one handwritten digit each, any size, dark or light background; each is scaled and centred as MNIST's digits were.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        images.Validators.Add(result =>
        {
            if (result.Tokens.Any(t => t.Value.Length == 0)) result.AddError("IMAGE needs a file name, not an empty string.");
        });
        var predictCsv = NotEmpty(new Option<string?>("--csv")
        {
            Description = "A CSV file of rows to predict (the model's feature columns, by name; a label column is ignored): one line each, \"row 1: malignant (0.973)\", or the predicted value(s) of a regression.",
            HelpName = "FILE.csv",
        }, "a file name");
        var predict = new Command("predict", "Classifies digit images with a saved model: one line per image with the three likeliest digits and their probabilities, e.g. \"digit.png: 7 (0.981), 1 (0.012), 2 (0.004)\"; or predicts the rows of a CSV file (--csv).")
        {
            predictLoad, predictNet, images, predictCsv,
        };
        predict.SetAction(parse => Guard(context, () =>
        {
            var settings = new PredictSettings(parse.GetValue(predictLoad)!, parse.GetValue(predictNet), parse.GetValue(images) ?? []) { Csv = parse.GetValue(predictCsv) };
            if (settings.Csv is not null && settings.Images.Length > 0) throw new UsageException("predict takes images or --csv, not both.");
            if (settings.Csv is null && settings.Images.Length == 0) throw new UsageException("predict needs IMAGE files, or --csv FILE.csv.");
            return settings.Csv is not null ? TableCommands.Predict(settings, context) : PredictCommand.Run(settings, context);
        }));

        var exportLoad = LoadOption();
        var exportNet = NetOption(context);
        var weightsOnly = NotEmpty(new Option<string?>("--weights-only")
        {
            Description = "Write exactly the PyTorch module's state_dict (parameters, buffers, num_batches_tracked; no optimizer state) to this safetensors file, for model.load_state_dict(..., strict=True).",
            HelpName = "FILE",
        }, "a file name");
        var onnx = NotEmpty(new Option<string?>("--onnx")
        {
            Description = "Write the network for inference as an ONNX model (opset 17; input \"input\", output \"logits\"; a table model's standardization included) to this file, for ONNX Runtime, ML.NET or PyTorch's tools.",
            HelpName = "FILE",
        }, "a file name");
        var export = new Command("export", "Writes a saved model in another form: --onnx FILE, an ONNX model for inference; --weights-only FILE, the PyTorch module's state_dict alone.")
        {
            exportLoad, exportNet, onnx, weightsOnly,
        };
        export.SetAction(parse => Guard(context, () => ExportCommand.Run(parse.GetValue(exportLoad)!, parse.GetValue(exportNet), parse.GetValue(onnx), parse.GetValue(weightsOnly), context)));

        root.Subcommands.Add(train);
        root.Subcommands.Add(eval);
        root.Subcommands.Add(predict);
        root.Subcommands.Add(export);

        string program = context.ProgramName;
        var examples = new Dictionary<Command, string[]>
        {
            [root] =
            [
                $"{program}                                   train with nets.json's defaults (5 epochs)",
                $"{program} --epochs 5 --threads 2            options without a command mean train",
                $"{program} train --save model.safetensors --plot curves.png --metrics metrics.json",
                $"{program} eval --load model.safetensors",
                $"{program} predict --load model.safetensors digit.png",
            ],
            [train] =
            [
                $"{program} train --epochs 10 --lr 0.0005 --seed 3",
                $"{program} train --save model.safetensors --metrics metrics.json --plot curves.png",
                $"{program} train --resume model.safetensors --epochs 10 --save model.safetensors   continue a run to 10 epochs in all",
                $"{program} train --data ~/datasets/mnist --threads 2",
                $"{program} train --net mnist_cnn --train-images 10000 --epochs 1   the first 10,000 training images",
            ],
            [eval] =
            [
                $"{program} eval --load model.safetensors",
                $"{program} eval --load pytorch_model.safetensors --net mnist --plot misclassified.png",
                $"{program} eval --load model.onnx                        an ONNX file (by its .onnx name)",
                $"{program} eval --load torch_export.onnx --net mnist     torch.onnx.export's file: no NetGen metadata, --net needed",
            ],
            [predict] =
            [
                $"{program} predict --load model.safetensors digit.png",
                $"{program} predict --load model.safetensors scans/*.png photo.jpg",
                $"{program} predict --load bc.safetensors --csv rows.csv",
                $"{program} predict --load model.onnx digit.png",
            ],
            [export] =
            [
                $"{program} export --load model.safetensors --onnx model.onnx                  for ONNX Runtime, ML.NET, ...",
                $"{program} export --load model.safetensors --weights-only weights.safetensors   for load_state_dict(..., strict=True)",
            ],
        };
        foreach (Option option in root.Options)
        {
            if (option is HelpOption help && help.Action is SynchronousCommandLineAction inner)
                help.Action = new HelpWithExamples(inner, examples);
        }
        return root;
    }

    /// <summary>Runs a command and turns each kind of failure into one <c>error:</c> line and its exit code.</summary>
    internal static int Guard(CliContext context, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (DataFormatException e)
        {
            return Fail(context, e.Message, ExitCodes.BadInput);
        }
        catch (ModelFormatException e)
        {
            return Fail(context, e.Message, ExitCodes.BadInput);
        }
        catch (UsageException e)
        {
            return Fail(context, e.Message, ExitCodes.BadInput);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file that cannot be read or written (a --metrics or --plot path, a locked file): the message names it.
            return Fail(context, e.Message, ExitCodes.BadInput);
        }
        catch (OutOfMemoryException)
        {
            // Reading the inputs turns it into bad input (Inputs.Read); here it came later, during training.
            return Fail(context, "out of memory: the process could not get the memory it needed", ExitCodes.TrainingFailed);
        }
        catch (Exception e)
        {
            // Not expected: still one line, no stack trace.
            return Fail(context, $"unexpected {e.GetType().Name}: {e.Message}", ExitCodes.TrainingFailed);
        }
    }

    /// <summary>Writes <c>error: message</c> (one line) to standard error and returns <paramref name="exitCode"/>.</summary>
    internal static int Fail(CliContext context, string message, int exitCode)
    {
        context.Error.WriteLine("error: " + OneLine(message));
        context.Error.Flush();
        return exitCode;
    }

    internal static string OneLine(string text) =>
        string.Join(" ", text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    internal static Option<string?> NetOption(CliContext context)
    {
        var option = new Option<string?>("--net")
        {
            Description = $"The network to use, by its name in nets.json: {string.Join(", ", Networks.Names)}. Default: the network a model file of this program was saved from (--load, --resume), else {context.DefaultNetwork}.",
            HelpName = "NAME",
        };
        option.CompletionSources.Add([.. Networks.Names]);
        option.Validators.Add(result =>
        {
            string? name = result.GetValueOrDefault<string>();
            if (name is not null && !NetworkRegistry.Contains(name))
                result.AddError($"--net needs a network of nets.json: {string.Join(", ", Networks.Names.Select(n => $"'{n}'"))}; got '{name}'.");
        });
        return option;
    }

    internal static Option<string?> DataOption() => NotEmpty(new Option<string?>("--data")
    {
        Description = "Folder holding the MNIST IDX files (.gz or plain), or a CSV file of rows (with --net and --label). Default: data/mnist, searched from the current folder upwards, then from the program's folder upwards.",
        HelpName = "DIR|FILE.csv",
    }, "a folder or file name");

    /// <summary>--label: the label or target column(s) of a CSV file.</summary>
    internal static Option<string?> LabelOption(string description) => NotEmpty(new Option<string?>("--label")
    {
        Description = description,
        HelpName = "COLUMN",
    }, "a column name or number");

    private static Option<string> LoadOption() => NotEmpty(new Option<string>("--load")
    {
        Description = "The model file to load: a safetensors file written by --save, or by PyTorch for the chosen --net; or, if its name ends in .onnx, an ONNX file of the network's graph (written by export --onnx, or by torch.onnx.export, which needs --net NAME). Any other name is read as safetensors.",
        HelpName = "FILE",
        Required = true,
    }, "a file name");

    /// <summary>Refuses an empty value (<c>--data ""</c>), which names no file or folder, as a usage error in the option's words.</summary>
    internal static T NotEmpty<T>(T option, string what) where T : Option
    {
        option.Validators.Add(result =>
        {
            if (result.Tokens.Any(t => t.Value.Length == 0)) result.AddError($"{option.Name} needs {what}, not an empty string.");
        });
        return option;
    }

    /// <summary>Prints the usual help, then the command's examples.</summary>
    private sealed class HelpWithExamples(SynchronousCommandLineAction inner, Dictionary<Command, string[]> examples) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            int result = inner.Invoke(parseResult);
            TextWriter output = parseResult.InvocationConfiguration.Output;
            if (examples.TryGetValue(parseResult.CommandResult.Command, out string[]? lines))
            {
                output.WriteLine("Examples:");
                foreach (string line in lines) output.WriteLine("  " + line);
                output.WriteLine();
            }
            if (parseResult.CommandResult.Command is RootCommand or { Name: "train" })
            {
                output.WriteLine($"Exit codes: {ExitCodes.Ok} done, {ExitCodes.BadInput} bad input or usage, {ExitCodes.TrainingFailed} failure during training, {ExitCodes.Interrupted} stopped with Ctrl+C (a checkpoint is saved first if --save was given).");
                output.WriteLine();
            }
            return result;
        }
    }
}
