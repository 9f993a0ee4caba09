namespace NetGen.Mnist.Tests;

// Tests of the MNIST program go here (commands, charts, image input).
internal static class Placeholder
{
}
