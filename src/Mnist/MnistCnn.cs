namespace NetGen.Mnist;

/// <summary>
/// The repository's convolutional network, "mnist_cnn" in nets.json: two 3x3 convolutions (16 and 32 filters, ReLU), each
/// followed by 2x2 max-pooling, then dense 128 ReLU and 10 outputs (<c>netgen-mnist train --net mnist_cnn</c>).
/// </summary>
[Network("mnist_cnn")]
public partial class MnistCnn;
