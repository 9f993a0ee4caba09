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
int batch = net.Defaults.BatchSize, width = TinyNet.InputSize;
var inputs = new float[batch * width];
var labels = new int[batch];
var order = Enumerable.Range(0, y.Length).ToArray();
var random = new RandomSource(net.Seed, stream: 1);
for (int epoch = 1; epoch <= net.Defaults.Epochs; epoch++)
{
    random.Shuffle(order.AsSpan());                    // a new order every epoch
    double loss = 0;
    for (int first = 0; first < order.Length; first += batch)
    {
        int rows = Math.Min(batch, order.Length - first);
        for (int r = 0; r < rows; r++)
        {
            x.AsSpan(order[first + r] * width, width).CopyTo(inputs.AsSpan(r * width));
            labels[r] = y[order[first + r]];
        }
        loss += net.TrainStep(inputs.AsSpan(0, rows * width), labels.AsSpan(0, rows)) * rows;
    }
    Console.WriteLine($"epoch {epoch}: loss {loss / order.Length:F4}");
}

var (testX, testY) = Spirals(1000, seed: 2);
int correct = 0;
for (int i = 0; i < testY.Length; i++)
{
    if (net.Predict(testX.AsSpan(i * width, width)) == testY[i]) correct++;
}
Console.WriteLine($"Accuracy: {100.0 * correct / testY.Length:F2}% ({correct}/{testY.Length})");
