using System.Collections.Generic;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>
/// Emits the optimizer step (Adam, AdamW or SGD, in the form PyTorch documents): one vectorized pass per
/// tensor, with everything that depends only on the step number computed once per step.
/// </summary>
internal static class OptimizerEmitter
{
    private const string Vec = Names.Vector;

    public static string Describe(OptimizerSpec optimizer) => optimizer.Kind switch
    {
        OptimizerKind.AdamW => "AdamW",
        OptimizerKind.Sgd => optimizer.Momentum == 0f ? "SGD" : optimizer.Nesterov ? "SGD with Nesterov momentum" : "SGD with momentum",
        _ => "Adam",
    };

    /// <summary>The optimizer's per-tensor state arrays: a field suffix and PyTorch's name for it.</summary>
    public static IReadOnlyList<(string Suffix, string TorchName)> State(OptimizerSpec optimizer)
    {
        if (optimizer.IsAdam) return new[] { ("M", "exp_avg"), ("V", "exp_avg_sq") };
        if (optimizer.HasMomentumBuffer) return new[] { ("M", "momentum_buffer") };
        return new (string, string)[0];
    }

    public static void EmitConstants(SourceWriter w, OptimizerSpec optimizer)
    {
        w.Line($"// {Describe(optimizer)} hyper-parameters from nets.json (PyTorch's defaults where the spec is silent).");
        if (optimizer.IsAdam)
        {
            w.Line("// The betas stay decimal: 1 - beta and beta^t are computed in double and then rounded, as PyTorch computes them in Python.");
            w.Line($"private const double Beta1 = {Names.Double(optimizer.Beta1)}, Beta2 = {Names.Double(optimizer.Beta2)};");
            w.Line($"private const float Epsilon = {Names.Float(optimizer.Epsilon)};");
        }
        else
        {
            w.Line($"private const float Momentum = {Names.Float(optimizer.Momentum)};");
        }
        w.Line($"private const float WeightDecay = {Names.Float(optimizer.WeightDecay)};");
        w.Line($"private const float DefaultLearningRate = {Names.Float(optimizer.LearningRate)};");
    }

    public static void EmitStep(SourceWriter w, NetworkSpec net)
    {
        OptimizerSpec optimizer = net.Optimizer;
        if (optimizer.IsAdam) EmitAdam(w, net);
        else EmitSgd(w, net);
    }

    private static void EmitAdam(SourceWriter w, NetworkSpec net)
    {
        OptimizerSpec optimizer = net.Optimizer;
        bool adamW = optimizer.Kind == OptimizerKind.AdamW;
        bool l2 = !adamW && optimizer.WeightDecay != 0f;
        string decayNote = adamW ? ", weight decay decoupled (AdamW: p *= 1 - lr weight_decay before the update)"
            : l2 ? ", weight decay as an L2 term (g += weight_decay p)" : ", no weight decay";
        w.Line($"/// <summary>One {(adamW ? "AdamW" : "Adam")} step with the current gradients (Kingma and Ba, 2015, in the form PyTorch documents{decayNote}).</summary>");
        w.Line("/// <remarks>Changes the network: do not overlap with any other call.</remarks>");
        w.Open("public void OptimizerStep()");
        w.Line("_step++;");
        w.Line("// The bias corrections depend only on the step number, so they are computed here once, not per value.");
        w.Line("double biasCorrection1 = 1.0 - global::System.Math.Pow(Beta1, _step);");
        w.Line("double biasCorrection2 = 1.0 - global::System.Math.Pow(Beta2, _step);");
        w.Line("_stepSize = (float)(LearningRate / biasCorrection1);");
        w.Line("// sqrt(v) / sqrt(1 - b2^t) as sqrt(v) times the reciprocal: one vector division per value instead of two.");
        w.Line("_inverseCorrection2 = (float)(1.0 / global::System.Math.Sqrt(biasCorrection2));");
        if (adamW) w.Line("_decay = (float)(1.0 - (double)LearningRate * WeightDecay);");
        w.Line("if (_workers is null) OptimizerShard(0);");
        w.Line("else _workers.Run(_optimizerShard);");
        w.Close();
        w.Line();
        w.Line($"private float _stepSize, _inverseCorrection2{(adamW ? ", _decay" : "")}; // this step's scalars, for every thread");
        w.Line();
        w.Line("/// <summary>The update of this thread's share of every tensor (all of them with one thread).</summary>");
        w.Open("private void OptimizerShard(int shard)");
        foreach (ParameterTensor tensor in Names.Tensors(net.Layers))
        {
            string f = tensor.Field;
            w.Line($"AdamUpdate({f}, {f}Grad, {f}M, {f}V, shard, Threads, _stepSize, _inverseCorrection2{(adamW ? ", _decay" : "")});");
        }
        w.Close();
        w.Line();
        string update = adamW ? "p = decay p - stepSize m / (sqrt(v) inverseCorrection2 + eps)" : "p -= stepSize m / (sqrt(v) inverseCorrection2 + eps)";
        w.Line($"/// <summary>Adam for one tensor: {(l2 ? "g += weight_decay p; " : "")}m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; {update}, inverseCorrection2 = 1 / sqrt(1 - b2^t).</summary>");
        w.Line("// p, g, m, v: [n], laid out alike; this call updates share number shard of threads equal shares");
        w.Open($"private static void AdamUpdate(float[] p, float[] g, float[] m, float[] v, int shard, int threads, float stepSize, float inverseCorrection2{(adamW ? ", float decay" : "")})");
        w.Line($"ref float p0 = ref {Names.MemoryMarshal}.GetArrayDataReference(p);");
        w.Line($"ref float g0 = ref {Names.MemoryMarshal}.GetArrayDataReference(g);");
        w.Line($"ref float m0 = ref {Names.MemoryMarshal}.GetArrayDataReference(m);");
        w.Line($"ref float v0 = ref {Names.MemoryMarshal}.GetArrayDataReference(v);");
        w.Line("int i = (int)((long)shard * p.Length / threads), n = (int)((long)(shard + 1) * p.Length / threads);");
        w.Line("const float b1 = (float)Beta1, c1 = (float)(1 - Beta1), b2 = (float)Beta2, c2 = (float)(1 - Beta2);");
        w.Line($"var beta1 = new {Vec}<float>(b1);");
        w.Line($"var oneMinusBeta1 = new {Vec}<float>(c1);");
        w.Line($"var beta2 = new {Vec}<float>(b2);");
        w.Line($"var oneMinusBeta2 = new {Vec}<float>(c2);");
        w.Line($"var eps = new {Vec}<float>(Epsilon);");
        w.Line($"var step = new {Vec}<float>(stepSize);");
        w.Line($"var correction = new {Vec}<float>(inverseCorrection2);");
        if (l2) w.Line($"var weightDecay = new {Vec}<float>(WeightDecay);");
        if (adamW) w.Line($"var decayV = new {Vec}<float>(decay);");
        w.Open(Names.VectorLoop("i", "n"));
        w.Line($"var pi = {Vec}.LoadUnsafe(ref p0, (nuint)i);");
        w.Line(l2 ? $"var gi = {Vec}.LoadUnsafe(ref g0, (nuint)i) + weightDecay * pi;" : $"var gi = {Vec}.LoadUnsafe(ref g0, (nuint)i);");
        w.Line($"var mi = {Vec}.LoadUnsafe(ref m0, (nuint)i) * beta1 + gi * oneMinusBeta1;");
        w.Line($"var vi = {Vec}.LoadUnsafe(ref v0, (nuint)i) * beta2 + gi * gi * oneMinusBeta2;");
        w.Line($"{Vec}.StoreUnsafe(mi, ref m0, (nuint)i);");
        w.Line($"{Vec}.StoreUnsafe(vi, ref v0, (nuint)i);");
        w.Line($"var denominator = {Vec}.SquareRoot(vi) * correction + eps;");
        w.Line($"{Vec}.StoreUnsafe({(adamW ? "pi * decayV" : "pi")} - step * mi / denominator, ref p0, (nuint)i);");
        w.Close();
        w.Open("for (; i < n; i++)");
        w.Line(l2 ? "float gi = g[i] + WeightDecay * p[i];" : "float gi = g[i];");
        w.Line("float mi = m[i] = m[i] * b1 + gi * c1;");
        w.Line("float vi = v[i] = v[i] * b2 + gi * gi * c2;");
        w.Line($"p[i] = {(adamW ? "p[i] * decay" : "p[i]")} - stepSize * mi / (global::System.MathF.Sqrt(vi) * inverseCorrection2 + Epsilon);");
        w.Close();
        w.Close();
        w.Line();
    }

    private static void EmitSgd(SourceWriter w, NetworkSpec net)
    {
        OptimizerSpec optimizer = net.Optimizer;
        bool momentum = optimizer.HasMomentumBuffer, nesterov = optimizer.Nesterov, l2 = optimizer.WeightDecay != 0f;
        var formula = new List<string>();
        if (l2) formula.Add("g += weight_decay p");
        if (momentum) formula.Add("buf = momentum buf + g");
        if (nesterov) formula.Add("g += momentum buf");
        else if (momentum) formula.Add("g = buf");
        formula.Add("p -= lr g");
        w.Line($"/// <summary>One {Describe(optimizer)} step with the current gradients, as PyTorch's SGD (no dampening): {string.Join("; ", formula)}.</summary>");
        w.Line("/// <remarks>Changes the network: do not overlap with any other call.</remarks>");
        w.Open("public void OptimizerStep()");
        w.Line("_step++;");
        w.Line("if (_workers is null) OptimizerShard(0);");
        w.Line("else _workers.Run(_optimizerShard);");
        w.Close();
        w.Line();
        w.Line("/// <summary>The update of this thread's share of every tensor (all of them with one thread).</summary>");
        w.Open("private void OptimizerShard(int shard)");
        foreach (ParameterTensor tensor in Names.Tensors(net.Layers))
        {
            string f = tensor.Field;
            w.Line($"SgdUpdate({f}, {f}Grad{(momentum ? $", {f}M" : "")}, shard, Threads, LearningRate);");
        }
        w.Close();
        w.Line();
        w.Line($"/// <summary>SGD for one tensor: {string.Join("; ", formula)}.</summary>");
        w.Line($"// p, g{(momentum ? ", buf" : "")}: [n], laid out alike; this call updates share number shard of threads equal shares");
        w.Open($"private static void SgdUpdate(float[] p, float[] g{(momentum ? ", float[] buf" : "")}, int shard, int threads, float lr)");
        w.Line($"ref float p0 = ref {Names.MemoryMarshal}.GetArrayDataReference(p);");
        w.Line($"ref float g0 = ref {Names.MemoryMarshal}.GetArrayDataReference(g);");
        if (momentum) w.Line($"ref float buf0 = ref {Names.MemoryMarshal}.GetArrayDataReference(buf);");
        w.Line("int i = (int)((long)shard * p.Length / threads), n = (int)((long)(shard + 1) * p.Length / threads);");
        w.Line($"var rate = new {Vec}<float>(lr);");
        if (l2) w.Line($"var weightDecay = new {Vec}<float>(WeightDecay);");
        if (momentum) w.Line($"var mu = new {Vec}<float>(Momentum);");
        w.Open(Names.VectorLoop("i", "n"));
        w.Line($"var pi = {Vec}.LoadUnsafe(ref p0, (nuint)i);");
        w.Line(l2 ? $"var gi = {Vec}.LoadUnsafe(ref g0, (nuint)i) + weightDecay * pi;" : $"var gi = {Vec}.LoadUnsafe(ref g0, (nuint)i);");
        if (momentum)
        {
            w.Line($"var bi = {Vec}.LoadUnsafe(ref buf0, (nuint)i) * mu + gi;");
            w.Line($"{Vec}.StoreUnsafe(bi, ref buf0, (nuint)i);");
            w.Line(nesterov ? "gi += mu * bi;" : "gi = bi;");
        }
        w.Line($"{Vec}.StoreUnsafe(pi - rate * gi, ref p0, (nuint)i);");
        w.Close();
        w.Open("for (; i < n; i++)");
        w.Line(l2 ? "float gi = g[i] + WeightDecay * p[i];" : "float gi = g[i];");
        if (momentum)
        {
            w.Line("float bi = buf[i] = buf[i] * Momentum + gi;");
            w.Line(nesterov ? "gi += Momentum * bi;" : "gi = bi;");
        }
        w.Line("p[i] -= lr * gi;");
        w.Close();
        w.Close();
        w.Line();
    }
}
