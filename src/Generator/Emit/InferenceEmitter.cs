using NetGen.Generator.Plan;

namespace NetGen.Generator.Emit;

/// <summary>Prints <c>Forward</c>, <c>Predict</c> and <c>Classify</c>: the layers' forward calls over chunks of rows, without dropout.</summary>
internal static class InferenceEmitter
{
    public static void Emit(SourceWriter w, NetworkPlan plan)
    {
        InferencePlan inference = plan.Inference;
        bool onStack = inference.OnStack;
        w.Open("public void Forward(ReadOnlySpan<float> inputs, Span<float> logits)");
        w.Line("TrainingGuard.CheckIdle(ref _busy);");
        w.Line("int rows = Checks.Forward(inputs, logits, InputSize, OutputSize);");
        w.Line($"const int chunk = {Literals.Int(inference.ChunkRows)}; // rows per pass, so the hidden activations stay small{(onStack ? " enough for the stack" : "")}");
        if (onStack && inference.Hidden.Count > 0)
        {
            // C# clears stackalloc'd memory: sized for this call's rows, Predict's one row clears a few hundred floats, not
            // a whole chunk's (tens of KB that would also push the weights out of the L1 cache).
            w.Line("int chunkRows = Math.Min(chunk, rows);");
        }
        foreach (BufferPlan hidden in inference.Hidden)
        {
            w.Line(onStack
                ? $"Span<float> {hidden.Name} = stackalloc float[chunkRows * {hidden.Width}];"
                : $"float[] {hidden.Name} = ArrayPool<float>.Shared.Rent(chunk * {hidden.Width});");
        }
        if (!onStack) w.Open("try");
        w.Open("for (int start = 0; start < rows; start += chunk)");
        w.Line("int n = Math.Min(chunk, rows - start);");
        foreach (LayerPlan layer in plan.Layers) layer.Unit.EmitInferenceForward(w, layer);
        w.Close();
        if (!onStack)
        {
            w.Close();
            w.Open("finally");
            foreach (BufferPlan hidden in inference.Hidden) w.Line($"ArrayPool<float>.Shared.Return({hidden.Name});");
            w.Close();
        }
        w.Close();
        w.Line();
        w.Open("public int Predict(ReadOnlySpan<float> input)");
        w.Line("Checks.Row(input, InputSize);");
        w.Line("Span<float> outputs = stackalloc float[OutputSize];");
        w.Line("Forward(input, outputs);");
        w.Line("return Classify(outputs);");
        w.Close();
        w.Line();
        w.Line($"/// <summary>The class of one row of outputs: {LossEmitter.ClassRule(plan.Loss)}.</summary>");
        w.Open("public int Classify(ReadOnlySpan<float> outputs)");
        w.Line("Checks.Outputs(outputs, OutputSize);");
        LossEmitter.EmitClassify(w, plan.Loss);
        w.Close();
        w.Line();
    }
}
