using NetGen.Generator.Language;

namespace NetGen.Generator.Model;

/// <summary>What a pooling window keeps: its largest value, or the mean of its values.</summary>
internal enum PoolKind
{
    Max,
    Average,
}

/// <summary>
/// 2-D pooling over each channel of an image (PyTorch <c>nn.MaxPool2d</c> or <c>nn.AvgPool2d</c>, no padding): windows of
/// <paramref name="Size"/> every <paramref name="Stride"/>, the output (in - size) / stride + 1 rounded down per direction.
/// </summary>
internal sealed record Pool2dLayerSpec(PoolKind Kind, Size2 Size, Size2 Stride) : LayerSpec;
