namespace NetGen.Generator.Plan;

/// <summary>
/// A tensor of a layer's state that is not trained but belongs to the model, as PyTorch's buffers (a batch norm's running
/// mean and variance): saved in and loaded from model files with the parameters, not touched by the optimizer.
/// </summary>
/// <param name="Field">The values' field, e.g. <c>_bn1RunningMean</c>.</param>
/// <param name="TorchName">PyTorch's name, e.g. <c>bn1.running_mean</c>.</param>
/// <param name="Shape">PyTorch's shape as constants, e.g. <c>Bn1C</c>.</param>
internal sealed record ModelBufferPlan(string Field, string TorchName, string Shape);
