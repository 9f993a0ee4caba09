using System;
using System.Globalization;

namespace NetGen;

/// <summary>
/// A network's loss and metrics on a held-out set (the network in evaluation form: no dropout, batch norm's running
/// statistics). Labelled rows give <see cref="Accuracy"/>; rows with float targets give <see cref="MeanSquaredError"/>,
/// <see cref="MeanAbsoluteError"/> and <see cref="R2"/>.
/// </summary>
/// <param name="Loss">The network's loss (<see cref="INetwork.Loss"/>) averaged as PyTorch's loss averages it.</param>
/// <param name="Count">Rows evaluated.</param>
public sealed record ValidationResult(double Loss, int Count)
{
    /// <summary>Percentage of labelled rows classified right (null for rows with targets).</summary>
    public double? Accuracy { get; init; }

    /// <summary>Mean of the squared differences of outputs and targets over all values (null for labelled rows).</summary>
    public double? MeanSquaredError { get; init; }

    /// <summary>Mean of the absolute differences of outputs and targets over all values (null for labelled rows).</summary>
    public double? MeanAbsoluteError { get; init; }

    /// <summary>
    /// The coefficient of determination, 1 - (sum of squared errors) / (sum of squared deviations from the targets' mean), per
    /// output and averaged over the outputs, as scikit-learn's <c>r2_score</c> (null for labelled rows; an output whose targets
    /// never vary counts 1 when predicted exactly and 0 otherwise, as scikit-learn does).
    /// </summary>
    public double? R2 { get; init; }

    /// <summary>One line, e.g. <c>loss 0.0712, accuracy 97.81%</c> or <c>loss 0.412, MSE 0.412, MAE 0.51, R^2 0.58</c>.</summary>
    public override string ToString() => Accuracy is double accuracy
        ? string.Create(CultureInfo.InvariantCulture, $"loss {Loss:0.####}, accuracy {accuracy:F2}%")
        : string.Create(CultureInfo.InvariantCulture, $"loss {Loss:0.####}, MSE {MeanSquaredError:0.####}, MAE {MeanAbsoluteError:0.####}, R^2 {R2:0.####}");
}
