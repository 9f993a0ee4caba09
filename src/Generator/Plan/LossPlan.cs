namespace NetGen.Generator.Plan;

/// <summary>The loss kernel and what it implies for the class: labels or float targets, and how outputs become a class.</summary>
/// <param name="Word">The spec's word, for the architecture description.</param>
/// <param name="Description">For comments: <c>cross-entropy loss</c>.</param>
/// <param name="UsesTargets">Whether the kernel reads float targets (labels are turned into targets first), so the class
/// also gets the target overloads of TrainStep and ComputeGradients.</param>
/// <param name="ClassCount">The ClassCount constant's value as C#: <c>OutputSize</c>, or <c>2</c> for one logit.</param>
/// <param name="LabelMeaning">What an integer label means to TrainStep, for its documentation.</param>
internal sealed record LossPlan(LossKernel Kernel, string Word, string Description, bool UsesTargets, string ClassCount, string LabelMeaning)
{
    public string KernelName => Kernel.ToString();
}

/// <summary>The loss kernels NetGen emits.</summary>
internal enum LossKernel
{
    CrossEntropy,
    BinaryCrossEntropy,
    MeanSquaredError,
}
