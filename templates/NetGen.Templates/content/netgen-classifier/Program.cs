using System.Globalization;
using NetGen;
using NetGen.Cli;

// With arguments, this program is NetGen's command line for the networks of nets.json (`dotnet run -- --help`):
//   dotnet run -- train --net classifier --data data/train.csv --label diagnosis --validation data/validation.csv --save model.safetensors
//   dotnet run -- eval --load model.safetensors --data data/test.csv
//   dotnet run -- predict --load model.safetensors --csv data/test.csv
//   dotnet run -- export --load model.safetensors --onnx model.onnx
if (args.Length > 0) return NetGenCli.Run(args);

// Without arguments, the same steps in C#. The data: CSV files with a header row; "diagnosis" is the class, every other
// column a feature. The validation and test files name the classes in the training file's order.
const string Label = "diagnosis";
CsvTable train = CsvData.Load("data/train.csv", new CsvOptions { Targets = [Label] });
var sameClasses = new CsvOptions { Targets = [Label], ClassNames = train.ClassNames };
CsvTable validation = CsvData.Load("data/validation.csv", sameClasses);
CsvTable test = CsvData.Load("data/test.csv", sameClasses);

// What the model file keeps beside the weights: the columns, the classes, and the training rows' mean and deviation,
// by which every row is standardized before the network sees it.
var schema = new DataSchema
{
    FeatureNames = train.FeatureNames,
    TargetNames = train.TargetNames,
    ClassNames = train.ClassNames,
    Standardization = Standardization.Fit(train.ToDataset()),
};

// Train: nets.json's epochs, batch size, learning rate and seed; the validation rows measured after every epoch, and
// early stopping (nets.json's "patience") keeps the weights of the epoch with the lowest validation loss.
using var network = new Classifier();
FitResult fit = Trainer.Fit(network, schema.Apply(train.ToDataset()), schema.Apply(validation.ToDataset()), onEpoch: epoch =>
{
    if (epoch.Epoch % 10 == 0) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Epoch {epoch.Epoch}: loss {epoch.Loss:F4}, validation {epoch.Validation}"));
});
EpochResult best = fit.Epochs.First(e => e.Epoch == fit.BestEpoch);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Best epoch {fit.BestEpoch} of {fit.Epochs.Count}: validation {best.Validation}"));

// Save, and read back as `eval` and `predict` would.
ModelFile.Save("model.safetensors", network, position: null, schema);
using var loaded = new Classifier();
DataSchema saved = ModelFile.Load("model.safetensors", loaded).Data!;

// Evaluate the test rows, which training never saw.
Console.WriteLine(Evaluator.Evaluate(loaded, saved.Apply(test.ToDataset())));

// Predict one raw row: standardized as in training, then the likeliest class.
float[] row = test.FeatureRow(0).ToArray();
saved.Apply(row);
int predicted = loaded.Predict(row);
Console.WriteLine($"Row 1 of data/test.csv: {saved.ClassName(predicted)} (its label: {saved.ClassName(test.Labels![0])})");
return 0;
