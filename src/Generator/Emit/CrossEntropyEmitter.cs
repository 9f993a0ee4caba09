namespace NetGen.Generator.Emit;

/// <summary>Emits the fused softmax + negative log-likelihood loss and its gradient.</summary>
internal static class CrossEntropyEmitter
{
    public static void Emit(SourceWriter w)
    {
        w.Line("/// <summary>");
        w.Line("/// Cross-entropy of softmax(logits) against the labels, averaged over the rows (PyTorch's CrossEntropyLoss).");
        w.Line("/// Writes dLoss/dlogits = (softmax(z) - onehot(label)) / rows and returns the mean loss, computed as");
        w.Line("/// logsumexp(z) - z[label] with the row maximum subtracted first so exp never overflows.");
        w.Line("/// </summary>");
        w.Line("// logits: [rows, OutputSize], labels: [rows], dLogits: [rows, OutputSize]");
        w.Open("private static float CrossEntropy(global::System.ReadOnlySpan<float> logits, global::System.ReadOnlySpan<int> labels, global::System.Span<float> dLogits, int rows)");
        w.Line("float invRows = 1f / rows;");
        w.Line("double total = 0;");
        w.Open("for (int r = 0; r < rows; r++)");
        w.Line("global::System.ReadOnlySpan<float> z = logits.Slice(r * OutputSize, OutputSize);");
        w.Line("global::System.Span<float> dz = dLogits.Slice(r * OutputSize, OutputSize);");
        w.Line("float max = z[0];");
        w.Line("for (int o = 1; o < OutputSize; o++) max = global::System.MathF.Max(max, z[o]);");
        w.Line("float sum = 0f;");
        w.Open("for (int o = 0; o < OutputSize; o++)");
        w.Line("float e = global::System.MathF.Exp(z[o] - max);");
        w.Line("dz[o] = e;");
        w.Line("sum += e;");
        w.Close();
        w.Line("int label = labels[r];");
        w.Line("total += max + global::System.MathF.Log(sum) - z[label];");
        w.Line("float scale = invRows / sum;");
        w.Line("for (int o = 0; o < OutputSize; o++) dz[o] *= scale;");
        w.Line("dz[label] -= invRows;");
        w.Close();
        w.Line("return (float)(total / rows);");
        w.Close();
        w.Line();
    }
}
