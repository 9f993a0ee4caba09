namespace NetGen;

/// <summary>Accuracy of a network on a labelled set, with the confusion matrix.</summary>
public sealed class EvaluationResult
{
    internal EvaluationResult(int correct, int total, int[,] confusion)
    {
        Correct = correct;
        Total = total;
        ConfusionMatrix = confusion;
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
