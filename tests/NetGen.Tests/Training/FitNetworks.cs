namespace NetGen.Tests.Training;

/// <summary>fit.nets.json's regression network: 3 inputs, 16 ReLU, 1 output, mse.</summary>
[Network("regress")]
public partial class RegressNet;

/// <summary>fit.nets.json's classifier: 2 inputs (a point), 16 ReLU, 3 classes.</summary>
[Network("blobs")]
public partial class BlobsNet;

/// <summary>BlobsNet with the fit loop's settings in its spec: validation_split, early_stopping, clip_grad_norm and a step schedule.</summary>
[Network("blobs_fit")]
public partial class BlobsFitNet;

/// <summary>BlobsNet with a warmup_cosine schedule in its spec (advanced per optimizer step, over the whole run).</summary>
[Network("blobs_warmup")]
public partial class BlobsWarmupNet;
