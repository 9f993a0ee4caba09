using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;
using NetGen.Generator.Plan;
using NetGen.Generator.Spec;
using NetGen.Generator.Language;

namespace NetGen.Generator.Layers;

/// <summary>
/// Dropout, PyTorch's <c>nn.Dropout(rate)</c>: in training each output of the layer before is zeroed with probability
/// <c>rate</c> and the rest scaled by 1/(1 - rate); <c>Forward</c> and <c>Predict</c> never drop. It works in place on the
/// rows of the layer before and their gradients, with a mask drawn per batch from the network's <c>DropoutRandom</c>.
/// </summary>
internal sealed class DropoutLayer : LayerUnit
{
    public static readonly DropoutLayer Instance = new();

    private DropoutLayer()
    {
    }

    public override string Type => SpecWords.DropoutLayer;

    public override IReadOnlyList<string> Properties => SpecWords.DropoutProperties;

    public override LayerSpec? Parse(LayerReader reader, string? name)
    {
        if (reader.Find("rate") is null)
        {
            reader.Missing("rate", SpecMessages.RateHint);
            return new DropoutLayerSpec(0f);
        }
        return new DropoutLayerSpec((float)reader.Number("rate", 0, x => x >= 0 && x < 1, SpecMessages.Fraction));
    }

    public override bool InPlace => true;

    public override string Describe(LayerSpec spec) => "dropout " + Literals.Number(((DropoutLayerSpec)spec).Rate);

    public override string Architecture(LayerSpec spec) => Describe(spec);

    public override LayerPlan Plan(LayerSpec spec, LayerContext context)
    {
        float rate = ((DropoutLayerSpec)spec).Rate;
        string pascal = Identifiers.Pascal(context.Name), keep = Identifiers.Camel(context.Name) + "Keep";
        return new DropoutPlan(
            context.Name,
            context.Flow,
            new EquatableArray<BufferPlan>(new[] { new BufferPlan(keep, context.Flow.Width) }),
            $"[B, {Literals.Int(context.InputWidth)}], {context.Producer}'s outputs are multiplied by it in training",
            pascal,
            rate,
            (float)(1.0 / (1.0 - rate)),
            keep);
    }

    public override void EmitConstants(SourceWriter w, LayerPlan plan)
    {
        var p = (DropoutPlan)plan;
        w.Line($"private const float {p.RateConstant} = {Literals.Float(p.Rate)}, {p.ScaleConstant} = {Literals.Float(p.KeepScale)}; // kept values are scaled by 1/(1 - rate)");
    }

    public override void EmitRandomDraws(SourceWriter w, LayerPlan plan)
    {
        var p = (DropoutPlan)plan;
        w.Line($"Dropout.DrawMask(_dropoutRandom, new Span<float>({"_" + p.Keep}, 0, rows * {p.Flow.Width}), {p.RateConstant}, {p.ScaleConstant});");
    }

    public override void EmitTrainingForward(SourceWriter w, LayerPlan plan) =>
        w.Line($"Dropout.Apply({plan.Flow.Output}, {((DropoutPlan)plan).Keep}); // {plan.Name}, in place");

    public override void EmitTrainingBackward(SourceWriter w, LayerPlan plan)
    {
        if (plan.Flow.InputGradient is null) return;
        w.Line($"Dropout.Apply({plan.Flow.Gradient}, {((DropoutPlan)plan).Keep}); // {plan.Name}: dropped values pass no gradient, kept ones a scaled one");
    }

    public override void EmitInferenceForward(SourceWriter w, LayerPlan plan)
    {
    }

    public override void EmitKernels(SourceWriter w, LayerPlan plan)
    {
    }
}
