using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Plan;

namespace NetGen.Generator.Emit;

/// <summary>
/// Prints the core class in the generated namespace: the network's constants, arrays and buffers, its constructor and
/// properties, then (through the other emitters and the layer units) the training step, the forward pass, the kernels,
/// the loss and the optimizer. The namespace is NetGen's own, so the core imports what it uses and names it briefly.
/// </summary>
internal static class CoreEmitter
{
    private static readonly string[] Usings =
    {
        "System",
        "System.Buffers",
        "System.Collections.Generic",
        "System.Numerics",
        "System.Runtime.CompilerServices",
        "System.Runtime.InteropServices",
        "System.Runtime.Intrinsics",
        "NetGen.Kernels",
    };

    /// <summary>The stream of the network's seed that dropout masks come from (0 is initialization, 1 the training loop's shuffling).</summary>
    private const int DropoutStream = 2;

    public static void Emit(SourceWriter w, NetworkPlan plan)
    {
        foreach (string name in Usings) w.Line($"using {name};");
        w.Line("using DenseMatrix = MathNet.Numerics.LinearAlgebra.Single.DenseMatrix;");
        w.Line("using DenseVector = MathNet.Numerics.LinearAlgebra.Single.DenseVector;");
        w.Line();
        w.Line("/// <summary>");
        w.Line($"/// The network \"{plan.NetworkName}\" of {plan.Class.FullName}: its weights, optimizer state and batch buffers, the training");
        w.Line("/// step, the forward pass, and a pair of kernels per layer, each over spans whose sizes are constants.");
        w.Line("/// </summary>");
        w.Open($"internal sealed class {plan.Class.CoreName} : IDisposable");
        EmitConstants(w, plan);
        EmitFields(w, plan);
        EmitConstructor(w, plan);
        EmitProperties(w, plan);
        TrainingEmitter.Emit(w, plan);
        OptimizerEmitter.Emit(w, plan);
        InferenceEmitter.Emit(w, plan);
        foreach (LayerPlan layer in plan.Layers) layer.Unit.EmitKernels(w, layer);
        LossEmitter.Emit(w, plan.Loss);
        EmitInitialization(w, plan);
        w.Close();
    }

    private static void EmitConstants(SourceWriter w, NetworkPlan plan)
    {
        w.Line($"private const int InputSize = {Literals.Int(plan.InputSize)}, OutputSize = {Literals.Int(plan.OutputSize)}, ClassCount = {plan.Loss.ClassCount};");
        w.Line();
        w.Line("// Layer sizes and settings.");
        foreach (LayerPlan layer in plan.Layers) layer.Unit.EmitConstants(w, layer);
        OptimizerEmitter.EmitConstants(w, plan.Optimizer);
        w.Line();
    }

    private static void EmitFields(SourceWriter w, NetworkPlan plan)
    {
        var state = plan.Optimizer.State;
        string stateNote = state.Count == 0 ? "" : " and the optimizer's " + string.Join(" and ", state.Select(s => s.TorchName));
        w.Line($"// Parameters: one array each for values, gradients{stateNote}, laid out alike.");
        foreach (TensorPlan tensor in plan.Tensors)
        {
            w.Line($"// {tensor.Field.Substring(1)}: {tensor.StorageNote} = PyTorch {tensor.TorchName}{(tensor.Layout is not null ? " " + tensor.DimsText : "")}");
            var arrays = new List<string> { tensor.Field, tensor.Gradient };
            arrays.AddRange(state.Select(s => tensor.Field + s.Suffix));
            w.Line($"private readonly float[] {string.Join(", ", arrays.Select(a => $"{a} = new float[{tensor.Length}]"))};");
        }
        foreach (TensorPlan tensor in plan.Tensors.Where(t => t.Layout is not null))
            w.Line($"private static readonly TensorLayout {tensor.LayoutField} = {tensor.Layout!.Expression}; // {tensor.TorchName} {tensor.DimsText} as stored");
        w.Line();
        w.Line("// Training batch buffers, [MaxBatchSize, width] each: a layer's output y (what the next layer reads) and dLoss/dy");
        w.Line("// (a dense layer's becomes dLoss/d(pre-activation) dz in place); where needed, pre-activations z and dropout masks.");
        foreach (LayerPlan layer in plan.Layers)
        {
            foreach (var typed in layer.Buffers.GroupBy(b => b.Type))
                w.Line($"private readonly {typed.Key}[] {string.Join(", ", typed.Select(b => b.Field))}; // {(typed.Key == "float" ? layer.BufferNote : "nonzero values listed per row")}");
        }
        foreach (LayerPlan layer in plan.Layers) layer.Unit.EmitFields(w, layer);
        if (plan.Loss.UsesTargets) w.Line("private readonly float[] _targets; // [B, OutputSize], labels turned into targets, or a copy of the targets for the threads");
        if (plan.HasDropout) w.Line("private readonly RandomSource _dropoutRandom;");
        w.Line();
        w.Line("// Training on several threads (null with one): the pool, and the batch copied where they can read it.");
        w.Line("private readonly WorkerPool? _workers;");
        w.Line("private readonly float[]? _batchInputs;");
        if (!plan.Loss.UsesTargets) w.Line("private readonly int[]? _batchLabels;");
        w.Line("private readonly double[] _shardLoss;");
        var pieces = TrainingEmitter.Pieces(plan);
        w.Line($"private readonly Action<int> {string.Join(", ", pieces.Select(p => p.Field))}, _sumGradients, _optimizerShard;");
        w.Line("private int _batchRows;");
        w.Line();
        w.Line("private readonly NamedTensor[] _parameters, _optimizerState;");
        if (ModelBuffers(plan).Any()) w.Line("private readonly NamedTensor[] _buffers;");
        w.Line("private long _step;");
        w.Line("private int _busy; // 1 while a training call runs: two calls at once from two threads are caught, not raced");
        w.Line();
    }

    private static void EmitConstructor(SourceWriter w, NetworkPlan plan)
    {
        w.Line("/// <summary>The network with its initial weights: drawn per layer as nets.json says, in PyTorch's order, from the seed's stream 0.</summary>");
        w.Open($"public {plan.Class.CoreName}(int seed, int maxBatchSize, int threads)");
        w.Line("Seed = seed;");
        w.Line($"MaxBatchSize = Checks.MaxBatchSize(maxBatchSize, widestRow: {Literals.Int(plan.WidestRow)});");
        w.Line("Threads = Checks.Threads(threads);");
        w.Line("LearningRate = DefaultLearningRate;");
        foreach (LayerPlan layer in plan.Layers)
            foreach (BufferPlan buffer in layer.Buffers)
                w.Line($"{buffer.Field} = new {buffer.Type}[MaxBatchSize * {buffer.Width}];");
        if (plan.Loss.UsesTargets) w.Line("_targets = new float[MaxBatchSize * OutputSize];");
        if (plan.HasDropout) w.Line($"_dropoutRandom = new RandomSource(Seed, stream: {DropoutStream});");
        w.Line("_shardLoss = new double[threads];");
        foreach (TrainingEmitter.Piece piece in TrainingEmitter.Pieces(plan))
            w.Line(piece.IsMeeting ? $"{piece.Field} = shard => {piece.Method}(_batchRows, shard, Threads);" : $"{piece.Field} = {piece.Method}OnWorker;");
        w.Line("_sumGradients = SumGradientsOnWorker;");
        w.Line("_optimizerShard = OptimizerShard;");
        w.Open("if (threads > 1)");
        w.Line("_workers = new WorkerPool(threads);");
        w.Line("_batchInputs = new float[MaxBatchSize * InputSize];");
        if (!plan.Loss.UsesTargets) w.Line("_batchLabels = new int[MaxBatchSize];");
        w.Close();
        w.Line("Initialize(new RandomSource(Seed));");
        foreach (TensorPlan tensor in plan.Tensors.Where(t => t.Property is not null))
        {
            w.Line(tensor.IsMatrix
                ? $"{tensor.Property} = new DenseMatrix({tensor.Shape}, {tensor.Field});"
                : $"{tensor.Property} = new DenseVector({tensor.Field});");
        }
        w.Line("_parameters = new[]");
        w.Open();
        foreach (TensorPlan tensor in plan.Tensors)
            w.Line($"new NamedTensor(\"{tensor.TorchName}\", new[] {{ {tensor.Shape} }}, {tensor.Field}, {tensor.Gradient}{Layout(tensor)}),");
        w.Close(";");
        if (ModelBuffers(plan).Any())
        {
            w.Line("_buffers = new[]");
            w.Open();
            foreach (ModelBufferPlan buffer in ModelBuffers(plan))
                w.Line($"new NamedTensor(\"{buffer.TorchName}\", new[] {{ {buffer.Shape} }}, {buffer.Field}),");
            w.Close(";");
        }
        if (plan.Optimizer.State.Count == 0)
        {
            w.Line("_optimizerState = Array.Empty<NamedTensor>(); // plain SGD keeps no state");
        }
        else
        {
            w.Line("_optimizerState = new[]");
            w.Open();
            foreach (TensorPlan tensor in plan.Tensors)
                foreach (StatePlan state in plan.Optimizer.State)
                    w.Line($"new NamedTensor(\"{tensor.TorchName}.{state.TorchName}\", new[] {{ {tensor.Shape} }}, {tensor.Field}{state.Suffix}{Layout(tensor)}),");
            w.Close(";");
        }
        w.Close();
        w.Line();
    }

    private static void EmitProperties(SourceWriter w, NetworkPlan plan)
    {
        w.Line("public int MaxBatchSize { get; }");
        w.Line("public int Threads { get; }");
        w.Line("public int Seed { get; }");
        w.Line("public float LearningRate { get; set; }");
        w.Line("public long Step { get => _step; set => _step = Checks.Step(value); }");
        w.Line("public IReadOnlyList<NamedTensor> Parameters => _parameters;");
        w.Line("public IReadOnlyList<NamedTensor> OptimizerState => _optimizerState;");
        if (ModelBuffers(plan).Any())
        {
            w.Line("public IReadOnlyList<NamedTensor> Buffers => _buffers;");
            string counters = string.Join(", ", plan.Layers.SelectMany(l => l.Unit.BatchCounters(l)).Select(c => $"\"{c}\""));
            w.Line($"public IReadOnlyList<string> BatchCounters {{ get; }} = new[] {{ {counters} }};");
        }
        if (plan.HasDropout) w.Line("public RandomSource DropoutRandom => _dropoutRandom;");
        foreach (TensorPlan tensor in plan.Tensors.Where(t => t.Property is not null))
            w.Line($"public {(tensor.IsMatrix ? "DenseMatrix" : "DenseVector")} {tensor.Property} {{ get; }}");
        w.Line();
        w.Line("public void Dispose() => _workers?.Dispose();");
        w.Line();
    }

    /// <summary>The layers' model buffers (running statistics), in the layers' order.</summary>
    internal static IEnumerable<ModelBufferPlan> ModelBuffers(NetworkPlan plan) => plan.Layers.SelectMany(l => l.Unit.ModelBuffers(l));

    /// <summary>The NamedTensor constructor's layout argument for a tensor not in the default layout.</summary>
    private static string Layout(TensorPlan tensor) => tensor.LayoutField is null ? "" : $", layout: {tensor.LayoutField}";

    private static void EmitInitialization(SourceWriter w, NetworkPlan plan) => EmitLayerMethod(w, plan,
        "Initial weights and biases, layer by layer in PyTorch's element order ([out, in] row-major), from one random source.",
        "private void Initialize(RandomSource random)",
        (unit, layer) => unit.EmitInitialization(w, layer));

    /// <summary>A method whose body is each layer's part, in the layers' order.</summary>
    internal static void EmitLayerMethod(SourceWriter w, NetworkPlan plan, string summary, string header, System.Action<Layers.LayerUnit, LayerPlan> part)
    {
        w.Line($"/// <summary>{summary}</summary>");
        w.Open(header);
        foreach (LayerPlan layer in plan.Layers) part(layer.Unit, layer);
        w.Close();
    }
}
