using System.CommandLine;
using System.Globalization;

namespace NetGen.Cli;

/// <summary>
/// The options of <c>train</c>. The root command gets its own instances of them, so that options given without a
/// command train too (<c>netgen-mnist --epochs 5</c>).
/// </summary>
internal sealed class TrainOptionSet(CliContext context)
{
    public const int MaxThreads = 256;

    /// <summary>The most --train-images can ask for: MNIST's training set.</summary>
    public const int MaxTrainImages = 60_000;

    private readonly Option<string?> _net = CliCommands.NetOption(context);
    private readonly Option<string?> _data = CliCommands.DataOption();
    private readonly Option<int?> _epochs = WholeNumber("--epochs", "N",
        "Epochs (passes over the training set) in all; with --resume, the total to reach. Default: nets.json's training.epochs.", 1);
    private readonly Option<int?> _batch = WholeNumber("--batch-size", "N",
        "Images per optimizer step. Default: nets.json's training.batch_size, or with --resume the saved run's (another one is refused mid-epoch).", 1);
    private readonly Option<int?> _trainImages = WholeNumber("--train-images", "N",
        $"Train on the first N images of the training set, 1 to {MaxTrainImages} (shuffled every epoch as the whole set is). Default: all, or with --resume the saved run's count (another one is refused mid-epoch). The test set stays whole.",
        1, MaxTrainImages);
    private readonly Option<float?> _lr = new("--lr")
    {
        Description = "Learning rate of the optimizer. Default: nets.json's optimizer.lr.",
        HelpName = "X",
        CustomParser = result =>
        {
            string token = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (float.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out float lr) && lr > 0 && float.IsFinite(lr)) return lr;
            result.AddError($"--lr needs a number greater than 0, such as 0.001; got '{token}'.");
            return null;
        },
    };
    private readonly Option<int?> _seed = WholeNumber("--seed", "N",
        "Seed of initialization and shuffling. Default: nets.json's training.seed. Not with --resume (the checkpoint's run continues).", int.MinValue);
    private readonly Option<int?> _threads = WholeNumber("--threads", "N",
        $"Threads for training and evaluation, 1 to {MaxThreads}. Default 1, or with --resume the saved run's count. The thread count does not change the result: a seed gives the same weights with any count.",
        1, MaxThreads);
    private readonly Option<string?> _save = new("--save")
    {
        Description = "Save the model (weights, optimizer state, training position) to this safetensors file after every epoch, at the end, and when stopped with Ctrl+C.",
        HelpName = "FILE",
    };
    private readonly Option<string?> _resume = CliCommands.NotEmpty(new Option<string?>("--resume")
    {
        Description = "Continue the run saved in this file (by --save) up to --epochs epochs in all, exactly as if it had not stopped.",
        HelpName = "FILE",
    }, "a file name");
    private readonly Option<string?> _plot = new("--plot")
    {
        Description = "Draw the loss and test accuracy per epoch into this PNG file.",
        HelpName = "FILE.png",
    };
    private readonly Option<string?> _metrics = new("--metrics")
    {
        Description = "Write the per-epoch loss, time and test accuracy as JSON to this file.",
        HelpName = "FILE.json",
    };

    private readonly Option<string?> _label = CliCommands.LabelOption("The label column of a CSV --data file (its class or, for an mse network, its target; several targets comma-separated). Default: the last column.");
    private readonly Option<string?> _validation = new("--validation")
    {
        Description = "A CSV file of validation rows, measured after every epoch (loss and accuracy, or MSE, MAE and R^2). Default: 20% of the --data rows held out (--validation-split).",
        HelpName = "FILE.csv",
    };
    private readonly Option<double?> _validationSplit = Number("--validation-split", "F",
        "The fraction of the training rows (or MNIST images) held out for validation, seeded and stratified by class. Default: nets.json's training.validation_split, else 0.2.",
        f => f > 0 && f < 1, "a number above 0 and below 1, such as 0.2");
    private readonly Option<int?> _patience = WholeNumber("--patience", "N",
        "Early stopping (CSV data): stop after N epochs without a lower validation loss, and keep the best epoch's weights.", 1);
    private readonly Option<string?> _test = new("--test")
    {
        Description = "A CSV file of test rows, evaluated once after training (never used to choose anything).",
        HelpName = "FILE.csv",
    };
    private readonly Option<string?> _saveBest = new("--save-best")
    {
        Description = "Save the model of the epoch with the lowest validation loss so far to this file, whenever there is a new one (CSV data).",
        HelpName = "FILE",
    };
    private readonly Option<double?> _clip = Number("--clip-grad-norm", "X",
        "Clip the gradients to this global L2 norm before every optimizer step, as PyTorch's clip_grad_norm_. Default: nets.json's training.clip_grad_norm, else none.",
        x => x > 0 && double.IsFinite(x), "a number greater than 0, such as 1.0");
    private readonly Option<string?> _schedule = CliCommands.NotEmpty(new Option<string?>("--schedule")
    {
        Description = "The learning-rate schedule, as nets.json's training.schedule in one word: TYPE[:NAME=VALUE,...], e.g. step:step_size=30,gamma=0.5, exponential:gamma=0.95, cosine, warmup_cosine:warmup_steps=100, reduce_on_plateau:factor=0.5,patience=5. Default: nets.json's, else a fixed rate.",
        HelpName = "SCHEDULE",
    }, "a schedule");
    private readonly Option<bool> _noStandardize = new("--no-standardize")
    {
        Description = "Leave a CSV file's features as they are. By default each is standardized with the training rows' mean and deviation, kept in the saved model for eval and predict.",
    };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { _net, _data, _trainImages, _epochs, _batch, _lr, _seed, _threads, _save, _resume, _plot, _metrics,
            _label, _validation, _validationSplit, _patience, _clip, _schedule, _test, _saveBest, _noStandardize })
            command.Options.Add(option);
    }

    public TrainSettings Read(ParseResult parse) => new(
        parse.GetValue(_net),
        parse.GetValue(_data),
        parse.GetValue(_trainImages),
        parse.GetValue(_epochs),
        parse.GetValue(_batch),
        parse.GetValue(_lr),
        parse.GetValue(_seed),
        parse.GetValue(_threads),
        parse.GetValue(_save),
        parse.GetValue(_resume),
        parse.GetValue(_plot),
        parse.GetValue(_metrics))
    {
        Label = parse.GetValue(_label),
        Validation = parse.GetValue(_validation),
        ValidationSplit = parse.GetValue(_validationSplit),
        Patience = parse.GetValue(_patience),
        Test = parse.GetValue(_test),
        SaveBest = parse.GetValue(_saveBest),
        NoStandardize = parse.GetValue(_noStandardize),
        ClipNorm = parse.GetValue(_clip),
        Schedule = parse.GetValue(_schedule),
    };

    private static Option<double?> Number(string name, string helpName, string description, System.Func<double, bool> valid, string requirement) => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = result =>
        {
            string token = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && valid(value)) return value;
            result.AddError($"{name} needs {requirement}; got '{token}'.");
            return null;
        },
    };

    private static Option<int?> WholeNumber(string name, string helpName, string description, int minimum, int maximum = int.MaxValue) => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = result =>
        {
            string token = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (int.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) && value >= minimum && value <= maximum)
                return value;
            result.AddError(minimum == int.MinValue ? $"{name} needs a whole number; got '{token}'."
                : maximum == int.MaxValue ? $"{name} needs a whole number of at least {minimum}; got '{token}'."
                : $"{name} needs a whole number from {minimum} to {maximum}; got '{token}'.");
            return null;
        },
    };
}
