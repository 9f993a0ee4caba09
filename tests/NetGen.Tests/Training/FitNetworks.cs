namespace NetGen.Tests.Training;

/// <summary>fit.nets.json's regression network: 3 inputs, 16 ReLU, 1 output, mse.</summary>
[Network("regress")]
public partial class RegressNet;

/// <summary>fit.nets.json's classifier: 2 inputs (a point), 16 ReLU, 3 classes.</summary>
[Network("blobs")]
public partial class BlobsNet;
