using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using NetGen.Generator.Emit;
using NetGen.Generator.Language;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Plan;

/// <summary>
/// Turns a checked spec into a <see cref="NetworkPlan"/>: which layers run (a layer may fold into the one before it, as an
/// activation layer into a dense layer; identities go), their names, widths and buffers, who needs which gradient, which ReLU passes the next
/// layer makes unnecessary, the tensors, the loss, the optimizer and how <c>Forward</c> chunks its rows.
/// </summary>
internal static class Planner
{
    public const string NetworkInput = "x";

    public static NetworkPlan Plan(GenerationModel model)
    {
        NetworkSpec net = model.Network;
        List<Stage> stages = Stages(net);
        int count = stages.Count;
        string[] names = Names(stages);

        // Rows: a layer in place works on its owner's rows; every other layer owns its output rows.
        var owner = new int[count];
        var shape = new Shape[count];
        var inputShape = new Shape[count];
        var inputLayout = new RowLayout[count];
        Shape rows = net.Input;
        RowLayout layout = RowLayout.ChannelsFirst; // the network's inputs are PyTorch's CHW
        for (int i = 0; i < count; i++)
        {
            owner[i] = stages[i].Unit.InPlace && i > 0 ? owner[i - 1] : i;
            inputShape[i] = rows;
            inputLayout[i] = layout;
            shape[i] = stages[i].Unit.InPlace ? rows : stages[i].Unit.OutputShape(stages[i].Spec, rows);
            layout = stages[i].Unit.InPlace ? layout : stages[i].Unit.OutputLayout(stages[i].Spec, layout);
            rows = shape[i];
        }
        int output = count == 0 ? -1 : owner[count - 1];

        // Gradients: a layer needs dLoss/d(input) only when a layer before it has parameters.
        var parametersBefore = new bool[count];
        for (int i = 1; i < count; i++) parametersBefore[i] = parametersBefore[i - 1] || stages[i - 1].Unit.HasParameters(stages[i - 1].Spec);

        // ReLUs whose zeros the layer reading them turns into zero gradients anyway.
        // A layer that keeps its input's activation (pooling: the max or mean of ReLU outputs is 0 only where they all are)
        // passes the fact on.
        var reluOutput = new bool[count];
        for (int i = 0; i < count; i++)
        {
            reluOutput[i] = owner[i] != i ? reluOutput[owner[i]]
                : stages[i].Unit.KeepsInputActivation(stages[i].Spec) ? i > 0 && reluOutput[owner[i - 1]]
                : stages[i].Unit.OutputActivation(stages[i].Spec) == Activation.Relu;
        }
        // From the last layer back: whether the layer reading each layer's rows gives a zero gradient wherever they are 0.
        var consumerMasks = new bool[count];
        var masksZeros = new bool[count];
        for (int i = count - 1; i >= 0; i--)
        {
            int consumer = NextOwner(stages, i);
            consumerMasks[i] = consumer >= 0 && reluOutput[i] && masksZeros[consumer];
            masksZeros[i] = stages[i].Unit.MasksZeroInputs(stages[i].Spec, consumerMasks[i]);
        }

        var flows = new LayerFlow[count];
        var layers = new List<LayerPlan>();
        for (int i = 0; i < count; i++)
        {
            Stage stage = stages[i];
            int before = i == 0 ? -1 : owner[i - 1];
            LayerFlow flow;
            if (owner[i] != i)
            {
                LayerFlow rowsOf = flows[owner[i]];
                bool gradient = stage.Unit.InPlace && (stages[owner[i]].Unit.HasParameters(stages[owner[i]].Spec) || parametersBefore[owner[i]]);
                flow = rowsOf with { Input = rowsOf.Output, InputGradient = gradient ? rowsOf.Gradient : null, InputWidth = rowsOf.Width, IsOutput = false };
            }
            else
            {
                string camel = Identifiers.Camel(names[i]);
                bool isOutput = i == output;
                flow = new LayerFlow(
                    Input: before < 0 ? NetworkInput : flows[before].Output,
                    Output: camel + "Y",
                    Gradient: camel + stage.Unit.GradientSuffix,
                    InputGradient: parametersBefore[i] && before >= 0 ? flows[before].Gradient : null,
                    InferenceInput: before < 0 ? "inputs.Slice(start * InputSize, n * InputSize)" : flows[before].Output,
                    InferenceOutput: isOutput ? "logits.Slice(start * OutputSize, n * OutputSize)" : camel + "Y",
                    InputWidth: before < 0 ? "InputSize" : flows[before].Width,
                    Width: Identifiers.Pascal(names[i]) + "Out",
                    IsOutput: isOutput);
            }
            flows[i] = flow;
            var context = new LayerContext(names[i], inputShape[i], flow, before >= 0 && reluOutput[before], consumerMasks[i], owner[i] != i ? names[owner[i]] : null,
                inputLayout[i]);
            layers.Add(stage.Unit.Plan(stage.Spec, context));
        }

        var tensors = layers.SelectMany(l => l.Tensors).ToList();
        LossPlan loss = Loss(net.Loss);
        OptimizerPlan optimizer = Optimizer(net.Optimizer);
        string architecture = Architecture(net, stages, loss, optimizer);
        return new NetworkPlan(
            Class(model.Class),
            net.Name,
            Describe(net, stages, loss, optimizer),
            architecture,
            Hash(architecture),
            net.Input,
            (int)rows.Size,
            tensors.Sum(t => t.Count),
            net.Training.BatchSize,
            net.Training.Epochs,
            net.Training.Seed,
            new FitDefaultsPlan(net.Training.ValidationSplit, net.Training.EarlyStopping, net.Training.ClipGradNorm, net.Training.Schedule),
            Math.Max(net.Input.Size, shape.Select(s => s.Size).DefaultIfEmpty(0).Max()),
            new EquatableArray<LayerPlan>(layers),
            new EquatableArray<TensorPlan>(tensors),
            loss,
            optimizer,
            Inference(layers, shape, output),
            layers.OfType<DropoutPlan>().Any());
    }

    /// <summary>A layer as it runs: its unit and its spec (a dense layer's with the activation layer it took).</summary>
    private sealed record Stage(LayerUnit Unit, LayerSpec Spec);

    private static List<Stage> Stages(NetworkSpec net)
    {
        var stages = new List<Stage>();
        for (int i = 0; i < net.Layers.Count; i++)
        {
            LayerSpec spec = net.Layers[i];
            if (LayerUnits.For(spec).IsIdentity(spec)) continue;
            while (i + 1 < net.Layers.Count && LayerUnits.For(net.Layers[i + 1]).FoldInto(net.Layers[i + 1], spec) is LayerSpec merged)
            {
                spec = merged;
                i++;
            }
            stages.Add(new Stage(LayerUnits.For(spec), spec));
        }
        return stages;
    }

    /// <summary>Each layer's name: its own, or its kind's prefix and count, made unique among the members the names become.</summary>
    private static string[] Names(List<Stage> stages)
    {
        var taken = new HashSet<string>(stages.Select(s => s.Unit.NameOf(s.Spec)).Where(n => n is not null).Select(n => Identifiers.MemberKey(n!)));
        var counts = new Dictionary<string, int>();
        var names = new string[stages.Count];
        for (int i = 0; i < stages.Count; i++)
        {
            Stage stage = stages[i];
            string? name = stage.Unit.NameOf(stage.Spec);
            if (name is null)
            {
                counts.TryGetValue(stage.Unit.NamePrefix, out int n);
                do
                {
                    name = stage.Unit.NamePrefix + Literals.Int(++n);
                }
                while (!taken.Add(Identifiers.MemberKey(name)));
                counts[stage.Unit.NamePrefix] = n;
            }
            names[i] = name;
        }
        return names;
    }

    /// <summary>The next layer after <paramref name="i"/> with rows of its own (the one that reads i's rows), or -1 for the loss.</summary>
    private static int NextOwner(List<Stage> stages, int i)
    {
        for (int j = i + 1; j < stages.Count; j++)
        {
            if (!stages[j].Unit.InPlace) return j;
        }
        return -1;
    }

    internal static ClassPlan Class(NetworkClass cls)
    {
        // '_' doubled, then '.' as '_': distinct full names give distinct core names.
        string core = cls.FullyQualifiedName.Replace("_", "__").Replace('.', '_') + "Core";
        return new ClassPlan(cls.Namespace, cls.ClassName, cls.FullyQualifiedName, cls.IsSealed, cls.FullyQualifiedName + ".g.cs", core);
    }

    private static LossPlan Loss(LossKind loss) => loss switch
    {
        LossKind.BinaryCrossEntropy => new LossPlan(LossKernel.BinaryCrossEntropy, SpecWords.Losses.Of(loss), "binary cross-entropy loss (with logits)",
            UsesTargets: true, ClassCount: "2", LabelMeaning: "[rows] labels 0 or 1 (the target of the one output)"),
        LossKind.MeanSquaredError => new LossPlan(LossKernel.MeanSquaredError, SpecWords.Losses.Of(loss), "mean squared error loss",
            UsesTargets: true, ClassCount: "OutputSize", LabelMeaning: "[rows] class indices, trained as one-hot targets"),
        _ => new LossPlan(LossKernel.CrossEntropy, SpecWords.Losses.Of(loss), "cross-entropy loss",
            UsesTargets: false, ClassCount: "OutputSize", LabelMeaning: "[rows] class indices"),
    };

    private static OptimizerPlan Optimizer(OptimizerSpec spec)
    {
        bool momentum = spec.Kind == OptimizerKind.Sgd && spec.Momentum != 0f;
        string description = spec.Kind switch
        {
            OptimizerKind.AdamW => "AdamW",
            OptimizerKind.Sgd => !momentum ? "SGD" : spec.Nesterov ? "SGD with Nesterov momentum" : "SGD with momentum",
            _ => "Adam",
        };
        StatePlan[] state = spec.Kind == OptimizerKind.Sgd
            ? momentum ? new[] { new StatePlan("M", "momentum_buffer") } : Array.Empty<StatePlan>()
            : new[] { new StatePlan("M", "exp_avg"), new StatePlan("V", "exp_avg_sq") };
        UpdateRule rule = spec.Kind switch
        {
            OptimizerKind.AdamW => UpdateRule.AdamW,
            OptimizerKind.Sgd => UpdateRule.Sgd,
            _ => UpdateRule.Adam,
        };
        return new OptimizerPlan(
            rule,
            description,
            SpecWords.Optimizers.Of(spec.Kind) + (momentum ? " momentum" : ""),
            spec.LearningRate,
            spec.Beta1,
            spec.Beta2,
            spec.Epsilon,
            spec.WeightDecay,
            L2: rule != UpdateRule.AdamW && spec.WeightDecay != 0f,
            spec.Momentum,
            spec.Nesterov,
            new EquatableArray<StatePlan>(state));
    }

    /// <summary>The one-line description: <c>784 -> 128 relu -> 10, cross-entropy loss, Adam</c>.</summary>
    private static string Describe(NetworkSpec net, List<Stage> stages, LossPlan loss, OptimizerPlan optimizer)
    {
        var parts = new List<string> { net.Input.ToString() };
        parts.AddRange(stages.Select(s => s.Unit.Describe(s.Spec)));
        return string.Join(" -> ", parts) + ", " + loss.Description + ", " + optimizer.Description;
    }

    /// <summary>
    /// The canonical description of what a model file's tensors mean: sizes, names, activations, biases, dropout, loss and
    /// optimizer kind (not the hyper-parameters, which a checkpoint may outlive). A dense layer with an activation layer after
    /// it reads as one with that activation: the same network.
    /// </summary>
    private static string Architecture(NetworkSpec net, List<Stage> stages, LossPlan loss, OptimizerPlan optimizer)
    {
        var parts = new List<string> { "input " + net.Input.Compact };
        parts.AddRange(stages.Select(s => s.Unit.Architecture(s.Spec)));
        parts.Add("loss " + loss.Word);
        parts.Add("optimizer " + optimizer.ArchitectureName);
        return string.Join("; ", parts);
    }

    /// <summary>The first 16 hex digits of the SHA-256 of the architecture's UTF-8 bytes.</summary>
    private static string Hash(string architecture)
    {
        using var sha = SHA256.Create();
        byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(architecture));
        var sb = new StringBuilder();
        for (int i = 0; i < 8; i++) sb.Append(hash[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    /// <summary><c>Forward</c> keeps the hidden layers' outputs of a chunk of rows on the stack while they fit, in arrays otherwise.</summary>
    private static InferencePlan Inference(List<LayerPlan> layers, Shape[] shape, int output)
    {
        var hidden = new List<BufferPlan>();
        long perRow = 0;
        for (int i = 0; i < layers.Count; i++)
        {
            LayerFlow flow = layers[i].Flow;
            if (i == output || flow.InferenceOutput != flow.Output || layers[i].Unit.InPlace) continue;
            hidden.Add(new BufferPlan(flow.Output, flow.Width));
            perRow += shape[i].Size;
        }
        bool onStack = perRow <= Limits.ForwardStackFloats;
        long chunk = onStack ? Math.Max(1, Math.Min(Limits.ForwardChunkRows, perRow == 0 ? Limits.ForwardChunkRows : Limits.ForwardStackFloats / perRow)) : 1;
        return new InferencePlan((int)chunk, onStack, new EquatableArray<BufferPlan>(hidden));
    }
}
