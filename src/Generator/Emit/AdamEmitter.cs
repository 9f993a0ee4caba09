using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>Emits the Adam step: one vectorized pass per tensor, bias corrections computed once per step.</summary>
internal static class AdamEmitter
{
    private const string Vec = Names.Vector;

    public static void EmitConstants(SourceWriter w, AdamOptimizer adam)
    {
        w.Line("// Adam hyper-parameters from nets.json (PyTorch's defaults where the spec is silent). The betas stay decimal:");
        w.Line("// 1 - beta and beta^t are computed in double and then rounded, as PyTorch computes them in Python.");
        w.Line($"private const double Beta1 = {Names.Double(adam.Beta1)}, Beta2 = {Names.Double(adam.Beta2)};");
        w.Line($"private const float Epsilon = {Names.Float(adam.Epsilon)};");
        w.Line($"private const float DefaultLearningRate = {Names.Float(adam.LearningRate)};");
    }

    public static void EmitStep(SourceWriter w, EquatableArray<DenseLayer> layers)
    {
        w.Line("/// <summary>One Adam step with the current gradients (Kingma and Ba, 2015, in the form PyTorch documents, no weight decay).</summary>");
        w.Line("/// <remarks>Changes the network: do not overlap with any other call.</remarks>");
        w.Open("public void OptimizerStep()");
        w.Line("_step++;");
        w.Line("// The bias corrections depend only on the step number, so they are computed here once, not per value.");
        w.Line("double biasCorrection1 = 1.0 - global::System.Math.Pow(Beta1, _step);");
        w.Line("double biasCorrection2 = 1.0 - global::System.Math.Pow(Beta2, _step);");
        w.Line("float stepSize = (float)(LearningRate / biasCorrection1);");
        w.Line("float biasCorrection2Sqrt = (float)global::System.Math.Sqrt(biasCorrection2);");
        foreach (DenseLayer layer in layers)
        {
            string weight = Names.Weight(layer), bias = Names.Bias(layer);
            w.Line($"AdamUpdate({weight}, {weight}Grad, {weight}M, {weight}V, stepSize, biasCorrection2Sqrt);");
            w.Line($"AdamUpdate({bias}, {bias}Grad, {bias}M, {bias}V, stepSize, biasCorrection2Sqrt);");
        }
        w.Close();
        w.Line();
        w.Line("/// <summary>Adam for one tensor: m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; p -= stepSize m / (sqrt(v) / sqrt(1 - b2^t) + eps).</summary>");
        w.Line("// p, g, m, v: [n], laid out alike");
        w.Open("private static void AdamUpdate(float[] p, float[] g, float[] m, float[] v, float stepSize, float biasCorrection2Sqrt)");
        w.Line($"ref float p0 = ref {Names.MemoryMarshal}.GetArrayDataReference(p);");
        w.Line($"ref float g0 = ref {Names.MemoryMarshal}.GetArrayDataReference(g);");
        w.Line($"ref float m0 = ref {Names.MemoryMarshal}.GetArrayDataReference(m);");
        w.Line($"ref float v0 = ref {Names.MemoryMarshal}.GetArrayDataReference(v);");
        w.Line("int n = p.Length;");
        w.Line("const float b1 = (float)Beta1, c1 = (float)(1 - Beta1), b2 = (float)Beta2, c2 = (float)(1 - Beta2);");
        w.Line($"var beta1 = new {Vec}<float>(b1);");
        w.Line($"var oneMinusBeta1 = new {Vec}<float>(c1);");
        w.Line($"var beta2 = new {Vec}<float>(b2);");
        w.Line($"var oneMinusBeta2 = new {Vec}<float>(c2);");
        w.Line($"var eps = new {Vec}<float>(Epsilon);");
        w.Line($"var step = new {Vec}<float>(stepSize);");
        w.Line($"var correction = new {Vec}<float>(biasCorrection2Sqrt);");
        w.Line("int i = 0;");
        w.Open(Names.VectorLoop("i", "n"));
        w.Line($"var gi = {Vec}.LoadUnsafe(ref g0, (nuint)i);");
        w.Line($"var mi = {Vec}.LoadUnsafe(ref m0, (nuint)i) * beta1 + gi * oneMinusBeta1;");
        w.Line($"var vi = {Vec}.LoadUnsafe(ref v0, (nuint)i) * beta2 + gi * gi * oneMinusBeta2;");
        w.Line($"{Vec}.StoreUnsafe(mi, ref m0, (nuint)i);");
        w.Line($"{Vec}.StoreUnsafe(vi, ref v0, (nuint)i);");
        w.Line($"var denominator = {Vec}.SquareRoot(vi) / correction + eps;");
        w.Line($"{Vec}.StoreUnsafe({Vec}.LoadUnsafe(ref p0, (nuint)i) - step * mi / denominator, ref p0, (nuint)i);");
        w.Close();
        w.Open("for (; i < n; i++)");
        w.Line("float gi = g[i];");
        w.Line("float mi = m[i] = m[i] * b1 + gi * c1;");
        w.Line("float vi = v[i] = v[i] * b2 + gi * gi * c2;");
        w.Line("p[i] -= stepSize * mi / (global::System.MathF.Sqrt(vi) / biasCorrection2Sqrt + Epsilon);");
        w.Close();
        w.Close();
        w.Line();
    }
}
