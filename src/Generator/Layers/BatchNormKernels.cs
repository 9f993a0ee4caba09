using NetGen.Generator.Emit;

namespace NetGen.Generator.Layers;

/// <summary>
/// The code of a batch-norm layer: <c>Bn1Statistics</c> and <c>Bn1GradientSums</c>, the two meetings of the training pass
/// (instance methods over the whole batch, a share of the channels each), and the row kernels <c>Bn1Forward</c> (x * scale +
/// shift), <c>Bn1Evaluate</c> (the same from the running statistics) and <c>Bn1InputGradient</c>. The formulas are PyTorch's
/// CPU ones (aten/src/ATen/native/Normalization.cpp): sums per channel in double, the normalization as one multiply-add.
/// </summary>
internal static class BatchNormKernels
{
    public static void Emit(SourceWriter w, BatchNormPlan p)
    {
        EmitStatistics(w, p);
        EmitGradientSums(w, p);
        EmitForward(w, p);
        EmitEvaluate(w, p);
        if (p.Flow.NeedsInputGradient) EmitInputGradient(w, p);
    }

    private static string Layout(BatchNormPlan p) =>
        p.Positions == 1 ? $"[rows, {p.Channels}]" : p.ChannelsLast ? $"[rows, {p.Positions}, {p.Channels}] (pixel, channel)" : $"[rows, {p.Channels}, {p.Positions}] (channel, pixel)";

    /// <summary>
    /// Visits every value of channels [<paramref name="first"/>, <paramref name="end"/>) in the first <paramref name="length"/>
    /// values of the rows, in row order, then pixel order: <c>k</c> its index, <c>c</c> its channel.
    /// </summary>
    private static void EmitChannelLoop(SourceWriter w, BatchNormPlan p, string length, string first, string end, System.Action body)
    {
        if (p.ChannelsLast)
        {
            w.Open($"for (int at = 0; at < {length}; at += {p.C}) // each pixel of each row, its channels side by side");
            w.Open($"for (int c = {first}; c < {end}; c++)");
            w.Line("int k = at + c;");
        }
        else
        {
            w.Open($"for (int row = 0; row < {length}; row += {p.Out})");
            w.Open($"for (int c = {first}; c < {end}; c++)");
            w.Open($"for (int k = row + c * {p.HW}; k < row + (c + 1) * {p.HW}; k++) // the channel's pixels, together");
        }
        body();
        w.Close();
        w.Close();
        if (!p.ChannelsLast) w.Close();
    }

    private static void EmitStatistics(SourceWriter w, BatchNormPlan p)
    {
        w.Line($"/// <summary>");
        w.Line($"/// {p.Name} statistics (a meeting: all rows of the batch, channels [first, end) of share <paramref name=\"shard\"/>): each channel's");
        w.Line("/// mean and biased variance over the batch's rows and pixels, in double, give this batch's scale and shift; the running");
        w.Line("/// mean and variance move by the momentum towards them, the variance with the unbiased one, n / (n - 1), as in PyTorch.");
        w.Line($"/// </summary>");
        w.Open($"private void {p.Pascal}Statistics(int rows, int shard, int shards)");
        w.Line($"var (first, end) = Shards.Range({p.C}, shard, shards);");
        w.Line($"var x = new ReadOnlySpan<float>({p.InputField}, 0, rows * {p.Out}); // {Layout(p)}");
        w.Line($"double[] sums = {p.Sums}, squares = {p.Products};");
        w.Line($"int count = rows * {p.HW}; // values per channel");
        w.Line("for (int c = first; c < end; c++) sums[c] = squares[c] = 0;");
        EmitChannelLoop(w, p, "x.Length", "first", "end", () => w.Line("sums[c] += x[k];"));
        w.Line("for (int c = first; c < end; c++) sums[c] /= count; // now the means");
        EmitChannelLoop(w, p, "x.Length", "first", "end", () =>
        {
            w.Line("double d = x[k] - sums[c];");
            w.Line("squares[c] += d * d;");
        });
        w.Open("for (int c = first; c < end; c++)");
        w.Line("double mean = sums[c], variance = squares[c] / count;");
        w.Line($"float invStd = (float)(1 / Math.Sqrt(variance + {p.Pascal}Epsilon));");
        w.Line($"{p.Mean}[c] = (float)mean;");
        w.Line($"{p.InvStd}[c] = invStd;");
        w.Line($"float scale = {p.Weight.Field}[c] * invStd;");
        w.Line($"{p.Scale}[c] = scale;");
        w.Line($"{p.Shift}[c] = {p.Bias.Field}[c] - (float)mean * scale;");
        w.Line($"{p.RunningMean}[c] = (float)({p.Pascal}Momentum * mean + (1 - {p.Pascal}Momentum) * {p.RunningMean}[c]);");
        w.Line($"{p.RunningVar}[c] = (float)({p.Pascal}Momentum * variance * count / (count - 1) + (1 - {p.Pascal}Momentum) * {p.RunningVar}[c]);");
        w.Close();
        w.Close();
        w.Line();
    }

    private static void EmitGradientSums(SourceWriter w, BatchNormPlan p)
    {
        w.Line($"/// <summary>");
        w.Line($"/// {p.Name} gradient sums (a meeting: all rows, channels [first, end) of share <paramref name=\"shard\"/>): per channel, the sum of dy");
        w.Line("/// and of (x - mean) dy over the batch, in double: dLoss/d(bias) and dLoss/d(weight) = the second times 1/sqrt(var + eps),");
        w.Line("/// and what every row's input gradient subtracts (the mean of dy, and the projection on x - mean).");
        w.Line($"/// </summary>");
        w.Open($"private void {p.Pascal}GradientSums(int rows, int shard, int shards)");
        w.Line($"var (first, end) = Shards.Range({p.C}, shard, shards);");
        w.Line($"var x = new ReadOnlySpan<float>({p.InputField}, 0, rows * {p.Out}); // {Layout(p)}");
        w.Line($"var dy = new ReadOnlySpan<float>({p.GradientField}, 0, rows * {p.Out});");
        w.Line($"double[] sums = {p.Sums}, products = {p.Products};");
        w.Line($"float[] mean = {p.Mean};");
        w.Line($"int count = rows * {p.HW}; // values per channel");
        w.Line("for (int c = first; c < end; c++) sums[c] = products[c] = 0;");
        EmitChannelLoop(w, p, "x.Length", "first", "end", () =>
        {
            w.Line("sums[c] += dy[k];");
            w.Line("products[c] += (x[k] - (double)mean[c]) * dy[k];");
        });
        w.Open("for (int c = first; c < end; c++)");
        w.Line($"double invStd = {p.InvStd}[c];");
        w.Line($"{p.Bias.Gradient}[c] = (float)sums[c];");
        w.Line($"{p.Weight.Gradient}[c] = (float)(products[c] * invStd);");
        w.Line($"{p.MeanDy}[c] = (float)(sums[c] / count);");
        w.Line($"{p.Projection}[c] = (float)(products[c] * invStd * invStd / count);");
        w.Close();
        w.Close();
        w.Line();
    }

    private static void EmitForward(SourceWriter w, BatchNormPlan p)
    {
        w.Line($"/// <summary>{p.Name} forward: y = x * scale + shift per channel (scale = weight / sqrt(var + eps), shift = bias - mean * scale).</summary>");
        w.Line($"// x, y: {Layout(p)}, scale, shift: [{p.Channels}]");
        w.Open($"internal static void {p.Pascal}Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, Span<float> y, int rows)");
        EmitChannelLoop(w, p, $"rows * {p.Out}", "0", p.C, () => w.Line("y[k] = x[k] * scale[c] + shift[c];"));
        w.Close();
        w.Line();
    }

    private static void EmitEvaluate(SourceWriter w, BatchNormPlan p)
    {
        bool stack = p.Channels <= 1024;
        w.Line($"/// <summary>{p.Name} in evaluation (Forward, Predict): the forward pass with the running mean and variance.</summary>");
        w.Line($"// x, y: {Layout(p)}, weight, bias, runningMean, runningVar: [{p.Channels}]");
        w.Open($"internal static void {p.Pascal}Evaluate(ReadOnlySpan<float> x, float[] weight, float[] bias, float[] runningMean, float[] runningVar, Span<float> y, int rows)");
        w.Line(stack
            ? $"Span<float> scale = stackalloc float[{p.C}], shift = stackalloc float[{p.C}];"
            : $"Span<float> scale = new float[{p.C}], shift = new float[{p.C}]; // too many channels for the stack");
        w.Open($"for (int c = 0; c < {p.C}; c++)");
        w.Line($"double s = weight[c] / Math.Sqrt(runningVar[c] + {p.Pascal}Epsilon);");
        w.Line("scale[c] = (float)s;");
        w.Line("shift[c] = (float)(bias[c] - runningMean[c] * s);");
        w.Close();
        w.Line($"{p.Pascal}Forward(x, scale, shift, y, rows);");
        w.Close();
        w.Line();
    }

    private static void EmitInputGradient(SourceWriter w, BatchNormPlan p)
    {
        w.Line($"/// <summary>{p.Name} input gradient, PyTorch's: dx = (dy - mean(dy) - (x - mean) * projection) * invStd * weight per channel.</summary>");
        w.Line($"// x, dy, dx: {Layout(p)}; mean, invStd, weight, meanDy, projection: [{p.Channels}]");
        w.Open($"internal static void {p.Pascal}InputGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, float[] mean, float[] invStd, float[] weight, float[] meanDy, float[] projection, Span<float> dx, int rows)");
        EmitChannelLoop(w, p, $"rows * {p.Out}", "0", p.C, () => w.Line("dx[k] = (dy[k] - meanDy[c] - (x[k] - mean[c]) * projection[c]) * invStd[c] * weight[c];"));
        w.Close();
        w.Line();
    }
}
