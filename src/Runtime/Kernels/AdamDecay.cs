using System.ComponentModel;

namespace NetGen.Kernels;

/// <summary>How an Adam step applies weight decay.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum AdamDecay
{
    /// <summary>No weight decay.</summary>
    None,

    /// <summary><c>torch.optim.Adam</c>'s: <c>g += weight_decay p</c> before the moments.</summary>
    L2,

    /// <summary><c>torch.optim.AdamW</c>'s: <c>p *= 1 - lr weight_decay</c> before the update.</summary>
    Decoupled,
}
