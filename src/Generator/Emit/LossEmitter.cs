using NetGen.Generator.Plan;

namespace NetGen.Generator.Emit;

/// <summary>
/// Prints the loss: a kernel that returns the sum of the rows' losses and writes dLoss/d(output) for every output, and
/// how outputs become a predicted class.
/// </summary>
internal static class LossEmitter
{
    /// <summary>How Classify picks the class, for documentation.</summary>
    public static string ClassRule(LossPlan loss) => loss.Kernel == LossKernel.BinaryCrossEntropy
        ? "1 if the output is above 0 (probability above 0.5), else 0"
        : "the index of the largest output (the first such on a tie)";

    public static void Emit(SourceWriter w, LossPlan loss)
    {
        switch (loss.Kernel)
        {
            case LossKernel.CrossEntropy:
                EmitCrossEntropy(w);
                break;
            case LossKernel.BinaryCrossEntropy:
                EmitBinaryCrossEntropy(w);
                break;
            case LossKernel.MeanSquaredError:
                EmitMeanSquaredError(w);
                break;
        }
    }

    /// <summary>The body of <c>Classify(outputs)</c>.</summary>
    public static void EmitClassify(SourceWriter w, LossPlan loss)
    {
        if (loss.Kernel == LossKernel.BinaryCrossEntropy)
        {
            w.Line("return outputs[0] > 0f ? 1 : 0; // the logit of class 1: sigmoid(z) > 0.5 exactly when z > 0");
            return;
        }
        w.Line("int best = 0;");
        w.Line("for (int o = 1; o < OutputSize; o++) if (outputs[o] > outputs[best]) best = o;");
        w.Line("return best;");
    }

    private static void EmitCrossEntropy(SourceWriter w)
    {
        w.Line("/// <summary>");
        w.Line("/// Cross-entropy of softmax(logits) against the labels, averaged over the rows (PyTorch's CrossEntropyLoss).");
        w.Line("/// Writes dLoss/dlogits = (softmax(z) - onehot(label)) / totalRows and returns the sum of the rows' losses, each");
        w.Line("/// logsumexp(z) - z[label] with the row maximum subtracted first so exp never overflows.");
        w.Line("/// </summary>");
        w.Line("// logits: [rows, OutputSize], labels: [rows], dLogits: [rows, OutputSize]");
        w.Open("private static double CrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, Span<float> dLogits, int rows, int totalRows)");
        w.Line("float invRows = 1f / totalRows;");
        w.Line("double total = 0;");
        w.Open("for (int r = 0; r < rows; r++)");
        w.Line("ReadOnlySpan<float> z = logits.Slice(r * OutputSize, OutputSize);");
        w.Line("Span<float> dz = dLogits.Slice(r * OutputSize, OutputSize);");
        w.Line("float max = z[0];");
        w.Line("for (int o = 1; o < OutputSize; o++) max = MathF.Max(max, z[o]);");
        w.Line("float sum = 0f;");
        w.Open("for (int o = 0; o < OutputSize; o++)");
        w.Line("float e = MathF.Exp(z[o] - max);");
        w.Line("dz[o] = e;");
        w.Line("sum += e;");
        w.Close();
        w.Line("int label = labels[r];");
        w.Line("total += max + MathF.Log(sum) - z[label];");
        w.Line("float scale = invRows / sum;");
        w.Line("for (int o = 0; o < OutputSize; o++) dz[o] *= scale;");
        w.Line("dz[label] -= invRows;");
        w.Close();
        w.Line("return total;");
        w.Close();
        w.Line();
    }

    private static void EmitBinaryCrossEntropy(SourceWriter w)
    {
        w.Line("/// <summary>");
        w.Line("/// Binary cross-entropy of sigmoid(z) against targets t in [0, 1], averaged over all values (PyTorch's BCEWithLogitsLoss).");
        w.Line("/// Each loss is max(z, 0) - z t + log(1 + e^-|z|), which never overflows; dLoss/dz = (sigmoid(z) - t) / (totalRows OutputSize).");
        w.Line("/// Returns the sum of the losses.");
        w.Line("/// </summary>");
        w.Line("// logits, targets, dLogits: [rows, OutputSize]");
        w.Open("private static double BinaryCrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, Span<float> dLogits, int rows, int totalRows)");
        w.Line("int count = rows * OutputSize;");
        w.Line("float invCount = 1f / (totalRows * OutputSize);");
        w.Line("double total = 0;");
        w.Open("for (int k = 0; k < count; k++)");
        w.Line("float z = logits[k], t = targets[k];");
        w.Line("total += Math.Max(z, 0.0) - (double)z * t + Math.Log(1.0 + Math.Exp(-Math.Abs((double)z)));");
        w.Line("dLogits[k] = (Activations.Sigmoid(z) - t) * invCount;");
        w.Close();
        w.Line("return total;");
        w.Close();
        w.Line();
    }

    private static void EmitMeanSquaredError(SourceWriter w)
    {
        w.Line("/// <summary>(y - t)^2 summed over the rows' values (their mean is PyTorch's MSELoss); dLoss/dy = 2 (y - t) / (totalRows OutputSize).</summary>");
        w.Line("// outputs, targets, dOutputs: [rows, OutputSize]");
        w.Open("private static double MeanSquaredError(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, Span<float> dOutputs, int rows, int totalRows)");
        w.Line("int count = rows * OutputSize;");
        w.Line("float scale = 2f / (totalRows * OutputSize);");
        w.Line("double total = 0;");
        w.Open("for (int k = 0; k < count; k++)");
        w.Line("float diff = outputs[k] - targets[k];");
        w.Line("total += (double)diff * diff;");
        w.Line("dOutputs[k] = scale * diff;");
        w.Close();
        w.Line("return total;");
        w.Close();
        w.Line();
    }
}
