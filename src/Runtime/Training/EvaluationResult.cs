namespace NetGen;

/// <summary>Accuracy of a network on a labelled set, with the confusion matrix.</summary>
public sealed class EvaluationResult
{
    internal EvaluationResult(int correct, int total, int[,] confusion, int[] predictions)
    {
        Correct = correct;
        Total = total;
        ConfusionMatrix = confusion;
        Predictions = predictions;
    }

    /// <summary>The predicted class of every image, in the data set's order.</summary>
    public int[] Predictions { get; }

    /// <summary>Of the images labelled <paramref name="label"/>, the percentage predicted as such (recall).</summary>
    public double Recall(int label)
    {
        int total = 0;
        for (int p = 0; p < ConfusionMatrix.GetLength(1); p++) total += ConfusionMatrix[label, p];
        return total == 0 ? 0 : 100.0 * ConfusionMatrix[label, label] / total;
    }

    /// <summary>Of the images predicted as <paramref name="label"/>, the percentage labelled so (precision).</summary>
    public double Precision(int label)
    {
        int total = 0;
        for (int l = 0; l < ConfusionMatrix.GetLength(0); l++) total += ConfusionMatrix[l, label];
        return total == 0 ? 0 : 100.0 * ConfusionMatrix[label, label] / total;
    }

    /// <summary>Images whose predicted class equals the label.</summary>
    public int Correct { get; }

    /// <summary>Images evaluated.</summary>
    public int Total { get; }

    /// <summary>Correct as a percentage of Total.</summary>
    public double Accuracy => Total == 0 ? 0 : 100.0 * Correct / Total;

    /// <summary><c>[label, predicted]</c> counts.</summary>
    public int[,] ConfusionMatrix { get; }

    /// <summary>The line the MNIST program ends with, e.g. <c>Test accuracy: 97.62% (9762/10000)</c>.</summary>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Test accuracy: {Accuracy:F2}% ({Correct}/{Total})");
}
