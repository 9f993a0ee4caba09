using System.IO;

namespace NetGen.Cli;

/// <summary>Finds and checks the MNIST folder and the model files the program reads (the files it writes: <see cref="RunFiles"/>).</summary>
internal static class DataFiles
{
    /// <summary>The data folder: <paramref name="data"/> as given, else data/mnist searched upwards.</summary>
    public static string Directory(string? data) =>
        data ?? MnistData.FindDirectory()
        ?? throw new UsageException("no data/mnist folder found from the current folder or the program's folder upwards; pass --data DIR (a folder with the four MNIST IDX files).");

    /// <summary>Checks that the images of <paramref name="set"/> fit <paramref name="network"/>'s input, naming the images file if not.</summary>
    public static void CheckFits(INetwork network, ImageDataset set, string directory, string imagesName)
    {
        if (set.PixelsPerImage != network.InputSize)
        {
            throw new DataFormatException(MnistData.PathOf(directory, imagesName),
                $"wrong image size: the images are {set.Rows}x{set.Columns} ({set.PixelsPerImage} pixels), but network \"{network.NetworkName}\" takes {network.InputSize} inputs (28x28 for MNIST)");
        }
    }

    /// <summary>
    /// Checks that the model file <paramref name="path"/> (from <paramref name="option"/>) is a regular file that exists,
    /// without opening it (a named pipe would wait for a writer).
    /// </summary>
    public static void CheckModelExists(string path, string option)
    {
        switch (FileFacts.KindOf(path))
        {
            case FileKind.Regular:
                return;
            case FileKind.Missing:
                throw new UsageException($"{path}: model file not found ({option}).");
            case FileKind.Directory:
                throw new UsageException($"{path}: is a folder, not a model file ({option}).");
            case FileKind kind:
                throw new UsageException($"{path}: is {FileFacts.Describe(kind)}, not a model file ({option}).");
        }
    }
}
