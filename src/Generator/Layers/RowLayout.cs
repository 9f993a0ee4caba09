namespace NetGen.Generator.Layers;

/// <summary>How an image's values lie in a row: PyTorch's channel by channel (CHW), or pixel by pixel with each pixel's
/// channels together (HWC), which the image kernels work in because their vectors run along channels.</summary>
internal enum RowLayout
{
    /// <summary>A flat row, or an image in PyTorch's order: channel, row, column (what inputs and dense layers use).</summary>
    ChannelsFirst,

    /// <summary>An image row, column, channel (what convolution, pooling and batch norm write).</summary>
    ChannelsLast,
}
