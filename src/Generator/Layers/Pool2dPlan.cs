using NetGen.Generator.Language;
using NetGen.Generator.Model;
using NetGen.Generator.Plan;

namespace NetGen.Generator.Layers;

/// <summary>A pooling layer as generated: each channel's windows reduced to their largest value or their mean.</summary>
/// <param name="Pascal">The prefix of its members and kernels, e.g. <c>Pool1</c>.</param>
/// <param name="Layout">How its input and output rows hold their images (pooling keeps the layout).</param>
/// <param name="Argmax">The buffer where a max-pool keeps, per output value, the input value it took (for the backward pass); else null.</param>
internal sealed record Pool2dPlan(
    string Name,
    LayerFlow Flow,
    EquatableArray<BufferPlan> Buffers,
    string BufferNote,
    string Pascal,
    PoolKind Kind,
    Shape Input,
    Shape Output,
    Size2 Size,
    Size2 Stride,
    RowLayout Layout,
    string? Argmax) : LayerPlan(Name, Flow, Buffers, BufferNote, EquatableArray<TensorPlan>.Empty)
{
    public override LayerUnit Unit => Kind == PoolKind.Max ? Pool2dLayer.Max : Pool2dLayer.Average;

    public bool ChannelsLast => Layout == RowLayout.ChannelsLast && Input.Channels > 1;

    // The names of its constants.
    public string C => Pascal + "C";
    public string InH => Pascal + "InH";
    public string InW => Pascal + "InW";
    public string In => Pascal + "In";
    public string OutH => Pascal + "OutH";
    public string OutW => Pascal + "OutW";
    public string Out => Flow.Width;
    public string KH => Pascal + "KH";
    public string KW => Pascal + "KW";
    public string SH => Pascal + "SH";
    public string SW => Pascal + "SW";
}
