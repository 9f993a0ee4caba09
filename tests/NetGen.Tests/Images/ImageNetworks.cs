namespace NetGen.Tests.Images;

// The networks of images.nets.json. ImageReference.For names their layers and options again, by hand, from the json.

[Network("convsmall")]
public partial class ConvSmallNet;

[Network("convchannels")]
public partial class ConvChannelsNet;

[Network("convwide")]
public partial class ConvWideNet;

[Network("convdropout")]
public partial class ConvDropoutNet;

[Network("pooling")]
public partial class PoolingNet;

[Network("poolfirst")]
public partial class PoolFirstNet;

[Network("pooloverlap")]
public partial class PoolOverlapNet;

[Network("pooltie")]
public partial class PoolTieNet;

[Network("bnconv")]
public partial class BnConvNet;

[Network("bnflat")]
public partial class BnFlatNet;

[Network("bnchannelsfirst")]
public partial class BnChannelsFirstNet;

[Network("cnn_bn")]
public partial class CnnBnNet;
