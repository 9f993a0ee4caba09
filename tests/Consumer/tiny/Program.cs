using NetGen;

// Two interleaved spirals of 1.5 turns: class 1 is class 0 turned by 180 degrees.
static (float[] Points, int[] Labels) Spirals(int count, int seed)
{
    var random = new RandomSource(seed);
    var points = new float[count * 2];
    var labels = new int[count];
    for (int i = 0; i < count; i++)
    {
        labels[i] = i % 2;
        float radius = random.NextFloat(0.25f, 1f);
        float angle = 3f * MathF.PI * radius + labels[i] * MathF.PI;
        points[2 * i] = radius * MathF.Cos(angle) + 0.05f * random.NextGaussian();
        points[2 * i + 1] = radius * MathF.Sin(angle) + 0.05f * random.NextGaussian();
    }
    return (points, labels);
}

var (x, y) = Spirals(1000, seed: 1);

using var net = new TinyNet();                         // initialized from the spec's seed
var (train, validation) = Datasets.Split(ArrayDataset.WithLabels(x, TinyNet.InputSize, y), 0.2, seed: 1);
FitResult fit = Trainer.Fit(net, train, validation, new TrainingOptions { Patience = 10 },
    epoch => Console.WriteLine($"epoch {epoch.Epoch}: loss {epoch.Loss:F4}, validation {epoch.Validation}"));
Console.WriteLine($"best epoch {fit.BestEpoch}");

var (testX, testY) = Spirals(1000, seed: 2);
EvaluationResult result = Evaluator.Evaluate(net, ArrayDataset.WithLabels(testX, TinyNet.InputSize, testY));
Console.WriteLine($"Accuracy: {result.Accuracy:F2}% ({result.Correct}/{result.Total})");

string onnx = Path.Combine(AppContext.BaseDirectory, "tiny.onnx");
OnnxExport.Save(onnx, net);                            // for ONNX Runtime, ML.NET, PyTorch's tools
Console.WriteLine($"Exported {Path.GetFileName(onnx)} ({new FileInfo(onnx).Length} bytes)");
