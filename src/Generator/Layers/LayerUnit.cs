using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Language;
using NetGen.Generator.Model;
using NetGen.Generator.Plan;
using NetGen.Generator.Spec;

namespace NetGen.Generator.Layers;

/// <summary>
/// One layer kind, whole: how nets.json writes it (its words are in <see cref="SpecWords"/>), what the planner must
/// know of it, how it plans itself, and how it prints its kernels and its calls from a plan. A new kind is a new
/// subclass listed in <see cref="LayerUnits"/> (docs/adding-a-layer-kind.md).
/// </summary>
internal abstract class LayerUnit
{
    /// <summary>The kind's <c>"type"</c> word.</summary>
    public abstract string Type { get; }

    /// <summary>Every property a layer of this kind may have (<c>"type"</c> included).</summary>
    public abstract IReadOnlyList<string> Properties { get; }

    /// <summary>The name a layer of this kind gets without a <c>"name"</c>, for kinds with names (which they become members by); else null.</summary>
    public virtual string? DefaultName(int ordinal) => null;

    /// <summary>The layer's own name, for kinds with names; else null and the planner names it.</summary>
    public virtual string? NameOf(LayerSpec spec) => null;

    /// <summary>What the planner names a layer of a kind without names: the prefix, then the layer's count among its kind.</summary>
    public virtual string NamePrefix => Type;

    /// <summary>Reads the layer's properties; null if one is wrong (reported).</summary>
    /// <param name="name">The layer's name, for kinds with names.</param>
    public abstract LayerSpec? Parse(LayerReader reader, string? name);

    // What the planner asks of a kind.

    /// <summary>Whether the layer works on the rows of the layer before, in place, rather than on rows of its own.</summary>
    public virtual bool InPlace => false;

    /// <summary>Whether the layer has trainable tensors (so the layers before it need gradients).</summary>
    public virtual bool HasParameters(LayerSpec spec) => false;

    /// <summary>The shape of the layer's output rows, for an input of <paramref name="input"/> that it fits (see <see cref="Misfit"/>).</summary>
    public virtual Shape OutputShape(LayerSpec spec, Shape input) => input;

    /// <summary>The trainable values the layer has on an input of <paramref name="input"/>.</summary>
    public virtual long ParameterCount(LayerSpec spec, Shape input) => 0;

    /// <summary>
    /// Why the layer cannot take an input of <paramref name="input"/> (a kernel larger than the image, an image layer
    /// after a flat one, ...), and the property to point at; null if it fits.
    /// </summary>
    public virtual LayerMisfit? Misfit(LayerSpec spec, Shape input) => null;

    /// <summary>
    /// The layer before, <paramref name="previous"/>, with this one folded into it as one layer (an activation layer becomes
    /// the activation of the dense layer before it), or null to keep them apart.
    /// </summary>
    public virtual LayerSpec? FoldInto(LayerSpec spec, LayerSpec previous) => null;

    /// <summary>Whether the layer changes nothing (an identity activation), so the planner leaves it out.</summary>
    public virtual bool IsIdentity(LayerSpec spec) => false;

    /// <summary>The activation that produced the layer's output (identity for none); in-place layers keep their input's.</summary>
    public virtual Activation OutputActivation(LayerSpec spec) => Activation.Identity;

    /// <summary>
    /// Whether the layer, when its input is a ReLU's output, writes a zero gradient wherever that input is 0, so the ReLU
    /// before needs no pass of its own.
    /// </summary>
    /// <param name="outputMasked">Whether the layer reading this one's output gives a zero gradient wherever that output is 0.</param>
    public virtual bool MasksZeroInputs(LayerSpec spec, bool outputMasked) => false;

    /// <summary>Whether the layer's output has its input's activation (a max or mean of ReLU outputs is 0 only where they all are).</summary>
    public virtual bool KeepsInputActivation(LayerSpec spec) => false;

    /// <summary>The layout of the layer's output rows, given its input's.</summary>
    public virtual RowLayout OutputLayout(LayerSpec spec, RowLayout input) => input;

    /// <summary>The suffix of the layer's gradient buffer: <c>DZ</c> where it becomes dLoss/d(pre-activation) in place, <c>DY</c> otherwise.</summary>
    public virtual string GradientSuffix => "DZ";

    /// <summary>The layer in the network's one-line description: <c>128 relu</c>, <c>dropout 0.25</c>.</summary>
    public abstract string Describe(LayerSpec spec);

    /// <summary>The layer in the architecture a model file carries: <c>fc1 128 relu</c>.</summary>
    public abstract string Architecture(LayerSpec spec);

    /// <summary>The layer's plan, from its spec and what the planner decided around it.</summary>
    public abstract LayerPlan Plan(LayerSpec spec, LayerContext context);

    // What the emitters ask of a kind, from its plan.

    /// <summary>The layer's constants (sizes, slopes, rates), one or two lines.</summary>
    public virtual void EmitConstants(SourceWriter w, LayerPlan plan)
    {
    }

    /// <summary>The layer's part of <c>Initialize(random)</c>, drawing from <c>random</c> in PyTorch's order.</summary>
    public virtual void EmitInitialization(SourceWriter w, LayerPlan plan)
    {
    }

    /// <summary>Fields of the layer's own beyond its tensors and batch buffers (with their initializers), if any.</summary>
    public virtual void EmitFields(SourceWriter w, LayerPlan plan)
    {
    }

    /// <summary>What the layer prepares for a training batch once, on the calling thread, before the threads start (after the random draws).</summary>
    public virtual void EmitBatchPreparation(SourceWriter w, LayerPlan plan)
    {
    }

    /// <summary>What the layer draws at random for a training batch of <c>rows</c> rows, before the threads start.</summary>
    public virtual void EmitRandomDraws(SourceWriter w, LayerPlan plan)
    {
    }

    /// <summary>The layer's forward call(s) in a shard of the training pass (<c>n</c> rows).</summary>
    public abstract void EmitTrainingForward(SourceWriter w, LayerPlan plan);

    /// <summary>
    /// The layer's backward call(s) in a share of the rows, after the layer after it wrote its gradient: dLoss/d(its input),
    /// row by row (its weight gradients come later, in <see cref="EmitWeightGradients"/>).
    /// </summary>
    public abstract void EmitTrainingBackward(SourceWriter w, LayerPlan plan);

    /// <summary>
    /// The layer's part of <c>SumGradients</c>: its tensors' gradients over all <c>rows</c> rows of the batch, for share
    /// <c>shard</c> of <c>shards</c> of each tensor, from the buffers <see cref="WeightGradientBuffers"/> names.
    /// </summary>
    public virtual void EmitWeightGradients(SourceWriter w, LayerPlan plan)
    {
    }

    /// <summary>The batch buffers (of any layer) the layer's weight gradients read.</summary>
    public virtual System.Collections.Generic.IEnumerable<string> WeightGradientBuffers(LayerPlan plan) => System.Array.Empty<string>();

    /// <summary>
    /// The instance method <c>void M(int rows, int shard, int shards)</c> that must see every row of the batch before the
    /// layer's training forward pass (batch statistics), run on all threads for share <c>shard</c> of <c>shards</c> once the
    /// layers before it have passed all the rows; null for a layer that works row by row. The training pass splits there.
    /// </summary>
    public virtual string? ForwardMeeting(LayerPlan plan) => null;

    /// <summary>
    /// As <see cref="ForwardMeeting"/>, for the backward pass: run once the layers after it have sent back all the rows'
    /// gradients, before the layer's own backward call (sums over the batch that every row's input gradient needs).
    /// </summary>
    public virtual string? BackwardMeeting(LayerPlan plan) => null;

    /// <summary>State the layer keeps that is not trained but belongs to the model (PyTorch's buffers: running statistics), saved in model files.</summary>
    public virtual IEnumerable<ModelBufferPlan> ModelBuffers(LayerPlan plan) => System.Array.Empty<ModelBufferPlan>();

    /// <summary>The names of PyTorch's <c>num_batches_tracked</c> counters the layer has in a state_dict (their value is the step count).</summary>
    public virtual IEnumerable<string> BatchCounters(LayerPlan plan) => System.Array.Empty<string>();

    /// <summary>The layer's call in <c>Forward</c> on a chunk of <c>n</c> rows (nothing for a layer that only trains).</summary>
    public abstract void EmitInferenceForward(SourceWriter w, LayerPlan plan);

    /// <summary>The layer's kernels: static methods over spans, with its sizes as constants.</summary>
    public abstract void EmitKernels(SourceWriter w, LayerPlan plan);
}
