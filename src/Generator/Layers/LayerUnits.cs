using System;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>Every layer kind NetGen knows, by its <c>"type"</c> word and by its spec record.</summary>
internal static class LayerUnits
{
    private static readonly LayerUnit[] All = { DenseLayer.Instance, Conv2dLayer.Instance, Pool2dLayer.Max, Pool2dLayer.Average, DropoutLayer.Instance, ActivationLayer.Instance, BatchNormLayer.Instance };

    /// <summary>The kind a <c>"type"</c> word names, or null.</summary>
    public static LayerUnit? Find(string type)
    {
        foreach (LayerUnit unit in All)
        {
            if (unit.Type == type) return unit;
        }
        return null;
    }

    /// <summary>The kind of a spec record.</summary>
    public static LayerUnit For(LayerSpec spec) => spec switch
    {
        DenseLayerSpec => DenseLayer.Instance,
        Conv2dLayerSpec => Conv2dLayer.Instance,
        Pool2dLayerSpec { Kind: PoolKind.Max } => Pool2dLayer.Max,
        Pool2dLayerSpec => Pool2dLayer.Average,
        DropoutLayerSpec => DropoutLayer.Instance,
        ActivationLayerSpec => ActivationLayer.Instance,
        BatchNormLayerSpec => BatchNormLayer.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.GetType().Name, "a layer spec of no known kind"),
    };
}
