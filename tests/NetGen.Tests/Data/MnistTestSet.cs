using Xunit;

namespace NetGen.Tests.Data;

/// <summary>The repository's MNIST test set (data/mnist, found above the test's folder), as the tests that evaluate on it load it.</summary>
internal static class MnistTestSet
{
    public const int Count = 10_000;

    /// <summary>The 10,000 test images; fails the test when data/mnist is missing or holds another count.</summary>
    public static ImageDataset Load()
    {
        string? directory = MnistData.FindDirectory();
        Assert.True(directory is not null, "data/mnist not found above the test's folder");
        ImageDataset test = MnistData.LoadTest(directory!);
        Assert.Equal(Count, test.Count);
        return test;
    }
}
