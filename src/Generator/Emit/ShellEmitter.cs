using System.Linq;
using NetGen.Generator.Language;
using NetGen.Generator.Plan;

namespace NetGen.Generator.Emit;

/// <summary>
/// Prints the user's partial class: its constants, its constructor, and every member of <c>INetwork</c> and of the
/// network (MathNet views of its tensors, the target overloads of a regression loss), each passing on to the core.
/// It lives in the user's namespace, where a user type could take any short name, so the types it names are fully qualified.
/// </summary>
/// <remarks>
/// The same member list prints the stub of a network that could not be generated (its spec has errors, or is missing):
/// see <see cref="ShellShape.Stub"/>. The stub has no core; every member that would reach it throws instead, so that
/// the user's code still compiles and the build shows the NG errors alone, not a cascade of C# errors after them.
/// </remarks>
internal static class ShellEmitter
{
    private const string ReadOnlySpan = "global::System.ReadOnlySpan";
    private const string Span = "global::System.Span";

    public static void Emit(SourceWriter w, NetworkPlan plan) => Emit(w, ShellShape.Of(plan));

    public static void Emit(SourceWriter w, ShellShape plan)
    {
        ClassPlan cls = plan.Class;
        w.Line($"/// <summary>{plan.Summary}</summary>");
        w.Open($"partial class {cls.ClassName} : global::NetGen.INetwork");
        EmitConstants(w, plan);
        if (!plan.IsStub)
        {
            w.Line($"private readonly global::{ClassPlan.CoreNamespace}.{cls.CoreName} _core;");
            w.Line();
        }
        EmitConstructor(w, plan);
        EmitProperties(w, plan);
        EmitDispose(w, plan);
        EmitTraining(w, plan);
        EmitInference(w, plan);
        w.Close();
    }

    /// <summary>
    /// The remark of a constant that is also an INetwork property: the constant hides the property, so
    /// <c>net.InputSize</c> on an instance is error CS0176.
    /// </summary>
    private static void EmitConstantRemark(SourceWriter w, string className, string name)
        => w.Line($"/// <remarks>A constant of the class: <c>{className}.{name}</c>. Through an instance, use the <see cref=\"global::NetGen.INetwork\"/> interface: <c>((INetwork)net).{name}</c>, or a variable typed <c>INetwork</c>.</remarks>");

    private static void EmitConstants(SourceWriter w, ShellShape plan)
    {
        // A stub's values are placeholders; its documentation says so.
        string Doc(string summary) => plan.IsStub ? $"/// <summary>{summary} A placeholder: the network was not generated.</summary>" : $"/// <summary>{summary}</summary>";
        w.Line(Doc("Inputs per row."));
        EmitConstantRemark(w, plan.Class.ClassName, "InputSize");
        w.Line($"public const int InputSize = {Literals.Int(plan.InputSize)};");
        w.Line(Doc("Outputs per row (the last layer's units)."));
        EmitConstantRemark(w, plan.Class.ClassName, "OutputSize");
        w.Line($"public const int OutputSize = {Literals.Int(plan.OutputSize)};");
        w.Line(Doc($"Classes Predict can return, and labels TrainStep accepts: {plan.ClassCountMeaning}."));
        EmitConstantRemark(w, plan.Class.ClassName, "ClassCount");
        w.Line($"public const int ClassCount = {plan.ClassCount};");
        w.Line(Doc("What the tensors of a model file of this network mean (sizes, activations, loss, optimizer kind)."));
        EmitConstantRemark(w, plan.Class.ClassName, "Architecture");
        EmitArchitecture(w, plan.Architecture);
        w.Line(Doc("The first 16 hex digits of the SHA-256 of Architecture: model files carry it to be matched."));
        EmitConstantRemark(w, plan.Class.ClassName, "SpecHash");
        w.Line($"public const string SpecHash = {Literals.String(plan.SpecHash)};");
        w.Line(Doc("Trainable values: all weights and biases."));
        EmitConstantRemark(w, plan.Class.ClassName, "ParameterCount");
        w.Line($"public const int ParameterCount = {Literals.Int(plan.ParameterCount)};");
        w.Line(Doc("Batch size, epochs and seed from nets.json."));
        w.Line($"public const int DefaultBatchSize = {Literals.Int(plan.DefaultBatchSize)}, DefaultEpochs = {Literals.Int(plan.DefaultEpochs)}, DefaultSeed = {Literals.Int(plan.DefaultSeed)};");
        w.Line();
        if (plan.StubMessage is string message)
        {
            w.Line($"private const string {ShellShape.StubMessageName} = {Literals.String(message)};");
            w.Line();
        }
    }

    /// <summary>The Architecture constant; a long one as a sum of lines, a part or more each.</summary>
    private static void EmitArchitecture(SourceWriter w, string architecture)
    {
        const string declaration = "public const string Architecture = ";
        string single = $"{declaration}{Literals.String(architecture)};";
        if (w.Fits(single))
        {
            w.Line(single);
            return;
        }
        w.Line(declaration.TrimEnd());
        string[] parts = architecture.Split(new[] { "; " }, System.StringSplitOptions.None);
        string line = "";
        for (int i = 0; i < parts.Length; i++)
        {
            line += parts[i] + (i < parts.Length - 1 ? "; " : "");
            bool last = i == parts.Length - 1;
            if (last || line.Length + parts[i + 1].Length > 90)
            {
                w.Line($"    {Literals.String(line)}{(last ? ";" : " +")}");
                line = "";
            }
        }
    }

    private static void EmitConstructor(SourceWriter w, ShellShape plan)
    {
        w.Line("/// <summary>");
        w.Line("/// Creates the network with its initial weights (per layer, as nets.json says; PyTorch nn.Linear's by default).");
        w.Line("/// </summary>");
        w.Line($"/// <param name=\"seed\">Seed of the initialization{(plan.HasDropout && !plan.IsStub ? ", of the dropout masks" : "")} and of shuffling in the training loop; null means nets.json's seed.</param>");
        w.Line("/// <param name=\"maxBatchSize\">Largest batch TrainStep accepts; null means nets.json's batch size.</param>");
        w.Line("/// <param name=\"threads\">Threads that train (1 to 256): each computes the gradients of a fixed share of every batch, summed in a");
        w.Line("/// fixed order, so results depend on the seed and this count only. With more than 1, dispose the network to stop them.</param>");
        string signature = $"public {plan.Class.ClassName}(int? seed = null, int? maxBatchSize = null, int threads = 1)";
        if (plan.IsStub)
        {
            w.Line($"{signature} => {plan.Body("")};");
            w.Line();
            return;
        }
        w.Open(signature);
        w.Line("_core = new(seed ?? DefaultSeed, maxBatchSize ?? DefaultBatchSize, threads);");
        w.Close();
        w.Line();
    }

    private static void EmitProperties(SourceWriter w, ShellShape plan)
    {
        w.Line("/// <inheritdoc/>");
        w.Line($"public string NetworkName => {Literals.String(plan.NetworkName)};");
        w.Line("int global::NetGen.INetwork.InputSize => InputSize;");
        w.Line("int global::NetGen.INetwork.OutputSize => OutputSize;");
        w.Line("int global::NetGen.INetwork.ClassCount => ClassCount;");
        w.Line("int global::NetGen.INetwork.ParameterCount => ParameterCount;");
        w.Line("string global::NetGen.INetwork.Architecture => Architecture;");
        w.Line("string global::NetGen.INetwork.SpecHash => SpecHash;");
        w.Line($"global::NetGen.LossKind global::NetGen.INetwork.Loss => {plan.Body($"global::NetGen.LossKind.{plan.LossKind}")};");
        w.Line("/// <inheritdoc/>");
        w.Line($"public int MaxBatchSize => {plan.Body("_core.MaxBatchSize")};");
        w.Line("/// <inheritdoc/>");
        w.Line($"public int Threads => {plan.Body("_core.Threads")};");
        w.Line("/// <summary>The seed this instance was initialized with; the training loop also shuffles with it.</summary>");
        w.Line($"public int Seed => {plan.Body("_core.Seed")};");
        w.Line("/// <inheritdoc/>");
        w.Line($"public float LearningRate {{ get => {plan.Body("_core.LearningRate")}; set => {plan.Body("_core.LearningRate = value")}; }}");
        w.Line("/// <inheritdoc/>");
        w.Line($"public long Step {{ get => {plan.Body("_core.Step")}; set => {plan.Body("_core.Step = value")}; }}");
        w.Line("/// <inheritdoc/>");
        if (plan.IsStub) w.Line($"public global::NetGen.TrainingDefaults Defaults => {plan.Body("")};");
        else EmitDefaults(w, plan.FitDefaults);
        w.Line("/// <inheritdoc/>");
        w.Line($"public global::System.Collections.Generic.IReadOnlyList<global::NetGen.NamedTensor> Parameters => {plan.Body("_core.Parameters")};");
        w.Line("/// <inheritdoc/>");
        w.Line($"public global::System.Collections.Generic.IReadOnlyList<global::NetGen.NamedTensor> OptimizerState => {plan.Body("_core.OptimizerState")};");
        if (plan.HasBuffers)
        {
            w.Line("/// <summary>The running mean and variance of the batch-norm layers (PyTorch's buffers), saved in model files with the parameters.</summary>");
            w.Line($"public global::System.Collections.Generic.IReadOnlyList<global::NetGen.NamedTensor> Buffers => {plan.Body("_core.Buffers")};");
            w.Line("/// <summary>The names of PyTorch's num_batches_tracked counters in model files, one per batch-norm layer; their value is Step.</summary>");
            w.Line($"public global::System.Collections.Generic.IReadOnlyList<string> BatchCounters => {plan.Body("_core.BatchCounters")};");
        }
        if (plan.HasDropout)
        {
            w.Line("/// <summary>Where the dropout masks of ComputeGradients come from (stream 2 of the seed); save and restore its state to repeat a step.</summary>");
            w.Line($"public global::NetGen.RandomSource DropoutRandom => {plan.Body("_core.DropoutRandom")};");
            w.Line($"global::NetGen.RandomSource? global::NetGen.INetwork.DropoutRandom => {plan.Body("_core.DropoutRandom")};");
        }
        else
        {
            w.Line("global::NetGen.RandomSource? global::NetGen.INetwork.DropoutRandom => null;");
        }
        foreach (TensorPlan tensor in plan.Tensors.Where(t => t.Property is not null))
        {
            string shape = tensor.IsMatrix ? $"{tensor.DimsText} as in PyTorch" : tensor.DimsText;
            string type = tensor.IsMatrix ? "Matrix" : "Vector";
            w.Line($"/// <summary>{tensor.TorchName}, {shape}; a view: writes reach the network.</summary>");
            w.Line($"public global::MathNet.Numerics.LinearAlgebra.{type}<float> {tensor.Property} => _core.{tensor.Property};");
        }
        w.Line();
    }

    /// <summary>The Defaults property: the constants, and the fit loop's settings the spec gives, if any.</summary>
    private static void EmitDefaults(SourceWriter w, FitDefaultsPlan fit)
    {
        const string declaration = "public global::NetGen.TrainingDefaults Defaults => new(DefaultBatchSize, DefaultEpochs, DefaultSeed)";
        if (fit.IsEmpty)
        {
            w.Line(declaration + ";");
            return;
        }
        w.Line(declaration);
        w.Open();
        if (fit.ValidationSplit is double split) w.Line($"ValidationSplit = {Literals.Double(split)},");
        if (fit.EarlyStopping is { } stopping)
        {
            w.Line($"Patience = {Literals.Int(stopping.Patience)},");
            w.Line($"MinDelta = {Literals.Double(stopping.MinDelta)},");
            w.Line($"RestoreBest = {(stopping.RestoreBest ? "true" : "false")},");
        }
        if (fit.ClipNorm is double clip) w.Line($"ClipNorm = {Literals.Double(clip)},");
        if (fit.Schedule is { } schedule)
        {
            var (factory, arguments) = ScheduleFactory(schedule);
            string call = $"Schedule = global::NetGen.ScheduleSettings.{factory}(";
            string single = $"{call}{string.Join(", ", arguments)}),";
            if (w.Fits(single))
            {
                w.Line(single);
            }
            else
            {
                w.Line(call);
                w.Line($"    {string.Join(", ", arguments)}),");
            }
        }
        w.Close(";");
    }

    /// <summary>The ScheduleSettings factory of a schedule and its named arguments (<c>Step</c>, <c>stepSize: 30</c>, <c>gamma: 0.1</c>).</summary>
    private static (string Factory, string[] Arguments) ScheduleFactory(Schedule s) => s.Kind switch
    {
        ScheduleType.Step => ("Step", new[] { $"stepSize: {Literals.Int(s.StepSize)}", $"gamma: {Literals.Double(s.Gamma)}" }),
        ScheduleType.Exponential => ("Exponential", new[] { $"gamma: {Literals.Double(s.Gamma)}" }),
        // Without t_max the runtime anneals over the run's epochs.
        ScheduleType.Cosine => ("Cosine", s.TMax is int tMax
            ? new[] { $"tMax: {Literals.Int(tMax)}", $"etaMin: {Literals.Double(s.EtaMin)}" }
            : new[] { $"etaMin: {Literals.Double(s.EtaMin)}" }),
        ScheduleType.WarmupCosine => ("WarmupCosine", new[]
        {
            $"warmupSteps: {Literals.Int(s.WarmupSteps)}", $"startFactor: {Literals.Double(s.StartFactor)}", $"etaMin: {Literals.Double(s.EtaMin)}",
        }),
        _ => ("ReduceOnPlateau", new[]
        {
            $"factor: {Literals.Double(s.Factor)}", $"patience: {Literals.Int(s.Patience)}", $"threshold: {Literals.Double(s.Threshold)}",
            $"cooldown: {Literals.Int(s.Cooldown)}", $"minLr: {Literals.Double(s.MinLr)}",
        }),
    };

    /// <summary>
    /// Dispose stops the training threads. A sealed class gets Dispose alone; an unsealed one the standard pattern
    /// (Dispose() calls the protected virtual Dispose(bool), then GC.SuppressFinalize), as CA1063 asks of a type that may
    /// be derived from, so that a derived class can release its own resources.
    /// </summary>
    /// <remarks>The stub's Dispose does nothing (its constructor throws, so there is no instance to dispose).</remarks>
    private static void EmitDispose(SourceWriter w, ShellShape plan)
    {
        ClassPlan cls = plan.Class;
        w.Line("/// <summary>Stops the training threads, if any; the network stays usable on one thread for Forward and Predict.</summary>");
        if (cls.IsSealed)
        {
            w.Line(plan.IsStub ? "public void Dispose() { }" : "public void Dispose() => _core.Dispose();");
            w.Line();
            return;
        }
        w.Open("public void Dispose()");
        w.Line("Dispose(true);");
        w.Line("global::System.GC.SuppressFinalize(this);");
        w.Close();
        w.Line();
        w.Line("/// <summary>Stops the training threads when <paramref name=\"disposing\"/> is true; a derived class that overrides it calls this one.</summary>");
        w.Line("/// <param name=\"disposing\">True when called from <see cref=\"Dispose()\"/>, false from a finalizer.</param>");
        if (plan.IsStub)
        {
            w.Line("protected virtual void Dispose(bool disposing) { }");
        }
        else
        {
            w.Open("protected virtual void Dispose(bool disposing)");
            w.Line("if (disposing) _core.Dispose();");
            w.Close();
        }
        w.Line();
    }

    private static void EmitTraining(SourceWriter w, ShellShape plan)
    {
        string optimizer = plan.OptimizerName;
        EmitTrainStep(w, $"One {optimizer} step on a batch", $"{ReadOnlySpan}<int> labels", $"{plan.LabelMeaning}, 1 to MaxBatchSize rows");
        w.Line("/// <summary>Forward and backward pass: replaces the gradients with those of the batch's mean loss, which it returns.</summary>");
        w.Line("/// <remarks>Changes the network's gradients and batch buffers: do not overlap with any other call.</remarks>");
        w.Line($"public float ComputeGradients({ReadOnlySpan}<float> inputs, {ReadOnlySpan}<int> labels) => {plan.Body("_core.ComputeGradients(inputs, labels)")};");
        w.Line();
        if (plan.UsesTargets)
        {
            EmitTrainStep(w, $"One {optimizer} step towards float targets", $"{ReadOnlySpan}<float> targets", $"[rows, OutputSize], row-major{plan.TargetRange}, 1 to MaxBatchSize rows");
            w.Line("/// <summary>Forward and backward pass towards float targets: replaces the gradients with those of the batch's mean loss, which it returns.</summary>");
            w.Line("/// <remarks>Changes the network's gradients and batch buffers: do not overlap with any other call.</remarks>");
            w.Line($"public float ComputeGradients({ReadOnlySpan}<float> inputs, {ReadOnlySpan}<float> targets) => {plan.Body("_core.ComputeGradients(inputs, targets)")};");
            w.Line();
        }
        w.Line($"/// <summary>{plan.OptimizerSummary}</summary>");
        w.Line("/// <remarks>Changes the network: do not overlap with any other call.</remarks>");
        w.Line($"public void OptimizerStep() => {plan.Body("_core.OptimizerStep()")};");
        w.Line();
    }

    /// <summary><c>TrainStep(inputs, labels or targets)</c>: ComputeGradients, then OptimizerStep.</summary>
    private static void EmitTrainStep(SourceWriter w, string summary, string secondParameter, string secondDoc)
    {
        string name = secondParameter.Substring(secondParameter.LastIndexOf(' ') + 1);
        w.Line($"/// <summary>{summary}; returns the batch's mean loss before the step. Allocates nothing.</summary>");
        w.Line("/// <remarks>Changes the network: do not overlap with any other call.</remarks>");
        w.Line("/// <param name=\"inputs\">[rows, InputSize], row-major.</param>");
        w.Line($"/// <param name=\"{name}\">{secondDoc}.</param>");
        w.Open($"public float TrainStep({ReadOnlySpan}<float> inputs, {secondParameter})");
        w.Line($"float loss = ComputeGradients(inputs, {name});");
        w.Line("OptimizerStep();");
        w.Line("return loss;");
        w.Close();
        w.Line();
    }

    private static void EmitInference(SourceWriter w, ShellShape plan)
    {
        w.Line($"/// <summary>Outputs [rows, OutputSize] for inputs [rows, InputSize], any number of rows{(plan.HasDropout && !plan.IsStub ? ", without dropout" : "")}. Allocates nothing.</summary>");
        w.Line("/// <remarks>Thread-safe: keeps no state between calls, so several threads may call Forward and Predict at once (not while training).</remarks>");
        w.Line($"public void Forward({ReadOnlySpan}<float> inputs, {Span}<float> logits) => {plan.Body("_core.Forward(inputs, logits)")};");
        w.Line();
        w.Line("/// <summary>The predicted class of one input row (see Classify).</summary>");
        w.Line("/// <remarks>Thread-safe, like Forward.</remarks>");
        w.Line($"public int Predict({ReadOnlySpan}<float> input) => {plan.Body("_core.Predict(input)")};");
        w.Line();
        w.Line($"/// <summary>The class one row of Forward's outputs stands for: {plan.ClassRule}.</summary>");
        w.Line($"public int Classify({ReadOnlySpan}<float> outputs) => {plan.Body("_core.Classify(outputs)")};");
    }
}
