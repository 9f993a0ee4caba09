using System.Collections.Generic;
using NetGen.Generator.Plan;

namespace NetGen.Generator.Emit;

/// <summary>
/// Prints the optimizer step: the hyper-parameters as constants, the per-step scalars computed once, and one call of the
/// runtime's update kernel (NetGen.Kernels.Adam or Sgd) per tensor, each thread on its share of every tensor.
/// </summary>
internal static class OptimizerEmitter
{
    /// <summary>The step's summary for documentation: what it does and where its formula comes from.</summary>
    public static string Summary(OptimizerPlan optimizer)
    {
        if (optimizer.IsAdam)
        {
            string decay = optimizer.Rule == UpdateRule.AdamW ? ", weight decay decoupled (AdamW: p *= 1 - lr weight_decay before the update)"
                : optimizer.L2 ? ", weight decay as an L2 term (g += weight_decay p)" : ", no weight decay";
            return $"One {optimizer.Description} step with the current gradients (Kingma and Ba, 2015, in the form PyTorch documents{decay}).";
        }
        return $"One {optimizer.Description} step with the current gradients, as PyTorch's SGD (no dampening): {SgdFormula(optimizer)}.";
    }

    private static string SgdFormula(OptimizerPlan optimizer)
    {
        var formula = new List<string>();
        if (optimizer.L2) formula.Add("g += weight_decay p");
        if (optimizer.HasMomentumBuffer) formula.Add("buf = momentum buf + g");
        if (optimizer.Nesterov) formula.Add("g += momentum buf");
        else if (optimizer.HasMomentumBuffer) formula.Add("g = buf");
        formula.Add("p -= lr g");
        return string.Join("; ", formula);
    }

    public static void EmitConstants(SourceWriter w, OptimizerPlan optimizer)
    {
        w.Line($"// {optimizer.Description} hyper-parameters from nets.json (PyTorch's defaults where the spec is silent).");
        if (optimizer.IsAdam)
        {
            w.Line("// The betas stay decimal: 1 - beta and beta^t are computed in double and then rounded, as PyTorch computes them in Python.");
            w.Line($"private const double Beta1 = {Literals.Double(optimizer.Beta1)}, Beta2 = {Literals.Double(optimizer.Beta2)};");
            w.Line($"private const float Epsilon = {Literals.Float(optimizer.Epsilon)};");
        }
        else
        {
            w.Line($"private const float Momentum = {Literals.Float(optimizer.Momentum)};");
        }
        w.Line($"private const float WeightDecay = {Literals.Float(optimizer.WeightDecay)};");
        w.Line($"private const float DefaultLearningRate = {Literals.Float(optimizer.LearningRate)};");
    }

    public static void Emit(SourceWriter w, NetworkPlan plan)
    {
        OptimizerPlan optimizer = plan.Optimizer;
        w.Line($"/// <summary>{Summary(optimizer)}</summary>");
        w.Open("public void OptimizerStep()");
        w.Line("using var guard = TrainingGuard.Enter(ref _busy);");
        w.Line("_step++;");
        if (optimizer.IsAdam)
        {
            string decay = optimizer.Rule == UpdateRule.AdamW ? "AdamDecay.Decoupled" : optimizer.L2 ? "AdamDecay.L2" : "AdamDecay.None";
            w.Line("// The bias corrections depend only on the step number, so they are computed here once, not per value.");
            w.Line($"_adamStep = new AdamStep(Beta1, Beta2, Epsilon, LearningRate, WeightDecay, {decay}, _step);");
        }
        w.Line("if (_workers is null) OptimizerShard(0);");
        w.Line("else _workers.Run(_optimizerShard);");
        w.Close();
        w.Line();
        if (optimizer.IsAdam)
        {
            w.Line("private AdamStep _adamStep; // this step's scalars, for every thread");
            w.Line();
        }
        w.Line("/// <summary>The update of this thread's share of every tensor (all of them with one thread).</summary>");
        w.Open("private void OptimizerShard(int shard)");
        foreach (TensorPlan tensor in plan.Tensors)
        {
            string f = tensor.Field;
            if (optimizer.IsAdam)
                w.Line($"Adam.Update({f}, {tensor.Gradient}, {f}M, {f}V, shard, Threads, _adamStep);");
            else
                w.Line($"Sgd.Update({f}, {tensor.Gradient}, {(optimizer.HasMomentumBuffer ? f + "M" : "null")}, shard, Threads, LearningRate, Momentum, nesterov: {(optimizer.Nesterov ? "true" : "false")}, WeightDecay);");
        }
        w.Close();
        w.Line();
    }
}
