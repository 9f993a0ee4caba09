using System.Linq;
using NetGen.Generator.Plan;

namespace NetGen.Generator.Emit;

/// <summary>
/// Prints the core's training pass: the batch checks, the split of the batch between threads, and one shard's forward
/// pass, loss and backward pass, layer by layer as the plan orders them.
/// </summary>
internal static class TrainingEmitter
{
    public static void Emit(SourceWriter w, NetworkPlan plan)
    {
        LossPlan loss = plan.Loss;
        w.Open("public float ComputeGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels)");
        w.Line("using var guard = TrainingGuard.Enter(ref _busy);");
        w.Line("int rows = Checks.Labels(inputs, labels, MaxBatchSize, InputSize, ClassCount);");
        if (!loss.UsesTargets)
        {
            w.Line("return Backpropagate(inputs, labels, rows);");
        }
        else
        {
            w.Line("Span<float> targets = new Span<float>(_targets, 0, rows * OutputSize);");
            if (loss.Kernel == LossKernel.MeanSquaredError)
            {
                w.Line("targets.Clear();");
                w.Line("for (int r = 0; r < rows; r++) targets[r * OutputSize + labels[r]] = 1f; // one-hot");
            }
            else
            {
                w.Line("for (int r = 0; r < rows; r++) targets[r] = labels[r];");
            }
            w.Line("return Backpropagate(inputs, targets, rows);");
        }
        w.Close();
        w.Line();
        if (loss.UsesTargets)
        {
            w.Open("public float ComputeGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets)");
            w.Line("using var guard = TrainingGuard.Enter(ref _busy);");
            w.Line("int rows = Checks.Targets(inputs, targets, MaxBatchSize, InputSize, OutputSize);");
            w.Line("return Backpropagate(inputs, targets, rows);");
            w.Close();
            w.Line();
        }
        EmitBackpropagate(w, plan);
        EmitShard(w, plan);
        EmitReduce(w, plan);
        if (plan.HasDropout) EmitRandomDraws(w, plan);
    }

    private static void EmitBackpropagate(SourceWriter w, NetworkPlan plan)
    {
        bool targets = plan.Loss.UsesTargets;
        string targetType = targets ? "float" : "int";
        string batchTargets = targets ? "_targets" : "_batchLabels";
        string perRow = targets ? " * OutputSize" : "";
        string count = targets ? "(rows * OutputSize)" : "rows";
        w.Line("/// <summary>");
        w.Line("/// The batch's forward and backward pass on Threads threads: each takes a fixed, contiguous share of the rows into");
        w.Line("/// its own gradients, which are then summed in thread order, so a seed and a thread count always give the same result.");
        w.Line("/// </summary>");
        w.Open($"private float Backpropagate(ReadOnlySpan<float> inputs, ReadOnlySpan<{targetType}> targets, int rows)");
        if (plan.HasDropout) w.Line("DrawDropoutMasks(rows); // on this thread, in a fixed order, whatever the thread count");
        foreach (LayerPlan layer in plan.Layers) layer.Unit.EmitBatchPreparation(w, layer);
        w.Line($"if (_workers is null) return (float)(TrainShard(inputs, targets, 0, rows, rows, 0) / {count});");
        w.Line("inputs.CopyTo(_batchInputs);");
        w.Line($"targets.CopyTo({batchTargets});");
        w.Line("_batchRows = rows;");
        w.Line("_workers.Run(_trainShard);");
        w.Line("_workers.Run(_reduceShard);");
        w.Line("double loss = 0;");
        w.Line("foreach (double part in _shardLoss) loss += part;");
        w.Line($"return (float)(loss / {count});");
        w.Close();
        w.Line();
        w.Open("private void TrainShardOnWorker(int shard)");
        w.Line("int rows = _batchRows;");
        w.Line("var (lo, hi) = Shards.Range(rows, shard, Threads);");
        w.Open("if (hi == lo && shard > 0)");
        w.Line("_shardLoss[shard] = 0; // a share without rows (more threads than rows) adds nothing: ReduceShard leaves it out");
        w.Line("return;");
        w.Close();
        w.Line($"var inputs = new ReadOnlySpan<float>(_batchInputs, 0, rows * InputSize);");
        w.Line($"var targets = new ReadOnlySpan<{targetType}>({batchTargets}, 0, rows{perRow});");
        w.Line("_shardLoss[shard] = TrainShard(inputs, targets, lo, hi, rows, shard);");
        w.Close();
        w.Line();
    }

    private static void EmitShard(SourceWriter w, NetworkPlan plan)
    {
        string targetType = plan.Loss.UsesTargets ? "float" : "int";
        string perRow = plan.Loss.UsesTargets ? " * OutputSize" : "";
        w.Line("/// <summary>");
        w.Line("/// Forward pass, loss and backward pass of rows [lo, hi) of the batch into the gradients of one thread (thread 0's are");
        w.Line("/// the network's own); returns the sum of the rows' losses. The loss gradient is scaled for the whole batch.");
        w.Line("/// </summary>");
        w.Open($"private double TrainShard(ReadOnlySpan<float> inputs, ReadOnlySpan<{targetType}> targets, int lo, int hi, int totalRows, int shard)");
        w.Line("int n = hi - lo;");
        w.Line($"ReadOnlySpan<float> {Planner.NetworkInput} = inputs.Slice(lo * InputSize, n * InputSize);");
        foreach (LayerPlan layer in plan.Layers)
            foreach (BufferPlan buffer in layer.Buffers)
                w.Line($"var {buffer.Name} = new Span<float>({buffer.Field}, lo * {buffer.Width}, n * {buffer.Width});");
        foreach (TensorPlan tensor in plan.Tensors)
            w.Line($"float[] {tensor.GradientLocal} = shard == 0 ? {tensor.Gradient} : {tensor.GradientShards}![shard - 1];");
        foreach (LayerPlan layer in plan.Layers) layer.Unit.EmitTrainingForward(w, layer);
        LayerFlow output = plan.Layers.Last(l => l.Flow.IsOutput).Flow;
        w.Line($"double loss = {plan.Loss.KernelName}({output.Output}, targets.Slice(lo{perRow}, n{perRow}), {output.Gradient}, n, totalRows);");
        foreach (LayerPlan layer in plan.Layers.Reverse()) layer.Unit.EmitTrainingBackward(w, layer);
        w.Line("return loss;");
        w.Close();
        w.Line();
    }

    private static void EmitReduce(SourceWriter w, NetworkPlan plan)
    {
        w.Line("/// <summary>Adds the other threads' gradients into the network's, over this thread's share of each tensor, in thread order.</summary>");
        w.Open("private void ReduceShard(int shard)");
        foreach (TensorPlan tensor in plan.Tensors) w.Line($"Shards.Sum({tensor.Gradient}, {tensor.GradientShards}!, shard, Threads, _batchRows);");
        w.Close();
        w.Line();
    }

    private static void EmitRandomDraws(SourceWriter w, NetworkPlan plan)
    {
        CoreEmitter.EmitLayerMethod(w, plan, "Draws every dropout layer's mask for the batch, layer by layer, row-major, one NextFloat per value.",
            "private void DrawDropoutMasks(int rows)", (unit, layer) => unit.EmitRandomDraws(w, layer));
        w.Line();
    }
}
