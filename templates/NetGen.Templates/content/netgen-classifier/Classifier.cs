using NetGen;

/// <summary>
/// The network "classifier" of nets.json: 30 features -> 32 ReLU -> 16 ReLU -> 2 classes. The build generates its
/// forward pass, backward pass and Adam step into this class; a mistake in nets.json is a build error at its line.
/// </summary>
[Network("classifier")]
internal sealed partial class Classifier;
