using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Plan;

namespace NetGen.Generator.Emit;

/// <summary>
/// Prints the core's training pass: the batch checks; one share of the rows through the layers and back (forward pass, loss,
/// backward pass, layer by layer as the plan orders them); and one share of every tensor's gradient, summed over the rows.
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
        EmitPassRows(w, plan);
        EmitSumGradients(w, plan);
        if (plan.HasDropout) EmitRandomDraws(w, plan);
    }

    /// <summary>
    /// A piece of the training pass: rows going forward through some layers (then, in one piece, the loss) and back through
    /// some; or a meeting, a method of a layer that must see every row (batch statistics), run for a share of its channels.
    /// A network without such layers is one piece of rows, <c>PassRows</c>.
    /// </summary>
    internal sealed class Piece
    {
        public readonly List<LayerPlan> Forward = new(), Backward = new();
        public bool Loss, IsMeeting;
        public string Method = "PassRows";

        public string Field => "_" + char.ToLowerInvariant(Method[0]) + Method.Substring(1);
    }

    /// <summary>The training pass in order: pieces of rows and the meetings between them.</summary>
    internal static List<Piece> Pieces(NetworkPlan plan)
    {
        var pieces = new List<Piece>();
        var rows = new Piece();
        foreach (LayerPlan layer in plan.Layers)
        {
            if (layer.Unit.ForwardMeeting(layer) is { } meeting)
            {
                pieces.Add(rows);
                pieces.Add(new Piece { IsMeeting = true, Method = meeting });
                rows = new Piece();
            }
            rows.Forward.Add(layer);
        }
        rows.Loss = true;
        foreach (LayerPlan layer in plan.Layers.Reverse())
        {
            if (layer.Unit.BackwardMeeting(layer) is { } meeting)
            {
                pieces.Add(rows);
                pieces.Add(new Piece { IsMeeting = true, Method = meeting });
                rows = new Piece();
            }
            rows.Backward.Add(layer);
        }
        pieces.Add(rows);
        if (pieces.Count > 1)
        {
            int number = 0;
            foreach (Piece piece in pieces.Where(p => !p.IsMeeting)) piece.Method = "PassRows" + Literals.Int(++number);
        }
        return pieces;
    }

    private static void EmitBackpropagate(SourceWriter w, NetworkPlan plan)
    {
        bool targets = plan.Loss.UsesTargets;
        string targetType = targets ? "float" : "int";
        string batchTargets = targets ? "_targets" : "_batchLabels";
        string perRow = targets ? " * OutputSize" : "";
        string count = targets ? "(rows * OutputSize)" : "rows";
        List<Piece> pieces = Pieces(plan);
        bool meetings = pieces.Count > 1;
        w.Line("/// <summary>");
        if (!meetings)
        {
            w.Line("/// The batch's forward and backward pass on Threads threads, in two parts. First each thread takes a fixed, contiguous");
            w.Line("/// share of the rows through the layers and back (every row's values and gradients depend on that row alone); then each");
            w.Line("/// takes a share of every tensor and sums its gradient over all the rows, in row order. So the gradients are the same");
            w.Line("/// whatever the thread count, and a seed always gives the same weights.");
        }
        else
        {
            w.Line("/// The batch's forward and backward pass on Threads threads, in parts. Each thread takes a fixed, contiguous share of the");
            w.Line("/// rows through the layers (PassRows1, 2, ...) up to a layer that needs the whole batch (batch norm's statistics, or its");
            w.Line("/// gradient sums); there all threads meet, each sums a share of that layer's channels over all the rows, in row order,");
            w.Line("/// and the rows go on. Last, each thread sums a share of every other tensor's gradient over all the rows. So the results");
            w.Line("/// are the same whatever the thread count, and a seed always gives the same weights.");
        }
        w.Line("/// </summary>");
        w.Open($"private float Backpropagate(ReadOnlySpan<float> inputs, ReadOnlySpan<{targetType}> targets, int rows)");
        if (plan.HasDropout) w.Line("DrawDropoutMasks(rows); // on this thread, in a fixed order, whatever the thread count");
        foreach (LayerPlan layer in plan.Layers) layer.Unit.EmitBatchPreparation(w, layer);
        w.Open("if (_workers is null)");
        foreach (Piece piece in pieces)
        {
            string call = piece.IsMeeting ? $"{piece.Method}(rows, 0, 1);" : $"{piece.Method}(inputs, targets, 0, rows, rows, wholeBatch: true);";
            w.Line(piece.Loss ? "double sum = " + call : call);
        }
        w.Line("SumGradients(inputs, rows, 0, 1, wholeBatch: true);");
        w.Line($"return (float)(sum / {count});");
        w.Close();
        w.Line("inputs.CopyTo(_batchInputs);");
        w.Line($"targets.CopyTo({batchTargets});");
        w.Line("_batchRows = rows;");
        foreach (Piece piece in pieces) w.Line($"_workers.Run({piece.Field});");
        w.Line("_workers.Run(_sumGradients);");
        w.Line("double loss = 0;");
        w.Line("foreach (double part in _shardLoss) loss += part;");
        w.Line($"return (float)(loss / {count});");
        w.Close();
        w.Line();
        foreach (Piece piece in pieces.Where(p => !p.IsMeeting))
        {
            w.Open($"private void {piece.Method}OnWorker(int shard)");
            w.Line("int rows = _batchRows;");
            w.Line("var (lo, hi) = Shards.Range(rows, shard, Threads);");
            w.Line("var inputs = new ReadOnlySpan<float>(_batchInputs, 0, rows * InputSize);");
            w.Line($"var targets = new ReadOnlySpan<{targetType}>({batchTargets}, 0, rows{perRow});");
            w.Line("// A share without rows (more threads than rows) has nothing to do.");
            w.Line(piece.Loss
                ? $"_shardLoss[shard] = hi == lo ? 0 : {piece.Method}(inputs, targets, lo, hi, rows, wholeBatch: false);"
                : $"if (hi > lo) {piece.Method}(inputs, targets, lo, hi, rows, wholeBatch: false);");
            w.Close();
            w.Line();
        }
        w.Line("private void SumGradientsOnWorker(int shard) => SumGradients(new ReadOnlySpan<float>(_batchInputs, 0, _batchRows * InputSize), _batchRows, shard, Threads, wholeBatch: false);");
        w.Line();
    }

    private static void EmitPassRows(SourceWriter w, NetworkPlan plan)
    {
        string targetType = plan.Loss.UsesTargets ? "float" : "int";
        string perRow = plan.Loss.UsesTargets ? " * OutputSize" : "";
        foreach (Piece piece in Pieces(plan).Where(p => !p.IsMeeting))
        {
            w.Line("/// <summary>");
            if (piece.Method == "PassRows")
            {
                w.Line("/// Forward pass, loss and backward pass of rows [lo, hi) of the batch: each layer's outputs and dLoss/d(outputs), row by");
                w.Line("/// row; returns the sum of the rows' losses. The loss gradient is scaled for the whole batch. With the whole batch (one");
                w.Line("/// thread), a layer's input gradient pass may sum its weight gradients too: the same sums in the same order, one pass fewer.");
            }
            else
            {
                var parts = new List<string>();
                if (piece.Forward.Count > 0) parts.Add($"forward through {string.Join(", ", piece.Forward.Select(l => l.Name))}");
                if (piece.Loss) parts.Add("the loss (returns the sum of the rows' losses, its gradient scaled for the whole batch)");
                if (piece.Backward.Count > 0) parts.Add($"backward through {string.Join(", ", piece.Backward.Select(l => l.Name))}");
                w.Line($"/// Rows [lo, hi) of the batch: {string.Join("; then ", parts)}.");
                w.Line("/// With the whole batch (one thread), a layer's input gradient pass may sum its weight gradients too.");
            }
            w.Line("/// </summary>");
            w.Open($"private {(piece.Loss ? "double" : "void")} {piece.Method}(ReadOnlySpan<float> inputs, ReadOnlySpan<{targetType}> targets, int lo, int hi, int totalRows, bool wholeBatch)");
            w.Line("int n = hi - lo;");
            w.Line($"ReadOnlySpan<float> {Planner.NetworkInput} = inputs.Slice(lo * InputSize, n * InputSize);");
            foreach (LayerPlan layer in plan.Layers)
                foreach (BufferPlan buffer in layer.Buffers)
                    w.Line($"var {buffer.Name} = new Span<{buffer.Type}>({buffer.Field}, lo * {buffer.Width}, n * {buffer.Width});");
            foreach (LayerPlan layer in piece.Forward) layer.Unit.EmitTrainingForward(w, layer);
            if (piece.Loss)
            {
                LayerFlow output = plan.Layers.Last(l => l.Flow.IsOutput).Flow;
                w.Line($"double loss = {plan.Loss.KernelName}({output.Output}, targets.Slice(lo{perRow}, n{perRow}), {output.Gradient}, n, totalRows);");
            }
            foreach (LayerPlan layer in piece.Backward) layer.Unit.EmitTrainingBackward(w, layer);
            if (piece.Loss) w.Line("return loss;");
            w.Close();
            w.Line();
        }
    }

    private static void EmitSumGradients(SourceWriter w, NetworkPlan plan)
    {
        w.Line("/// <summary>");
        w.Line("/// The gradients of the mean loss: share <paramref name=\"shard\"/> of <paramref name=\"shards\"/> of every tensor, each value");
        w.Line("/// summed over the batch's rows in row order from the layers' inputs and dLoss/d(pre-activation) that PassRows left (but");
        w.Line("/// those PassRows summed already, when it had the whole batch).");
        w.Line("/// </summary>");
        w.Open("private void SumGradients(ReadOnlySpan<float> inputs, int rows, int shard, int shards, bool wholeBatch)");
        w.Line($"ReadOnlySpan<float> {Planner.NetworkInput} = inputs.Slice(0, rows * InputSize);");
        var used = new HashSet<string>(plan.Layers.SelectMany(l => l.Unit.WeightGradientBuffers(l)));
        foreach (LayerPlan layer in plan.Layers)
            foreach (BufferPlan buffer in layer.Buffers.Where(b => used.Contains(b.Name)))
                w.Line($"var {buffer.Name} = new ReadOnlySpan<{buffer.Type}>({buffer.Field}, 0, rows * {buffer.Width});");
        foreach (LayerPlan layer in plan.Layers) layer.Unit.EmitWeightGradients(w, layer);
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
