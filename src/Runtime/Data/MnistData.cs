using System;
using System.IO;

namespace NetGen;

/// <summary>
/// Finds and loads MNIST: the four original IDX files, each plain or gzipped
/// (<c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>, <c>t10k-images-idx3-ubyte</c>,
/// <c>t10k-labels-idx1-ubyte</c>, each with or without <c>.gz</c>).
/// </summary>
public static class MnistData
{
    /// <summary>The name of the training images file, without <c>.gz</c>.</summary>
    public const string TrainImagesName = "train-images-idx3-ubyte";

    /// <summary>The name of the training labels file, without <c>.gz</c>.</summary>
    public const string TrainLabelsName = "train-labels-idx1-ubyte";

    /// <summary>The name of the test images file, without <c>.gz</c>.</summary>
    public const string TestImagesName = "t10k-images-idx3-ubyte";

    /// <summary>The name of the test labels file, without <c>.gz</c>.</summary>
    public const string TestLabelsName = "t10k-labels-idx1-ubyte";

    /// <summary>
    /// Looks for the folder <paramref name="relative"/> that holds the training images file (plain or gzipped),
    /// in the current directory and each of its parents, then in <see cref="AppContext.BaseDirectory"/> and each of its parents.
    /// </summary>
    /// <param name="relative">The folder to look for, relative to the folders searched.</param>
    /// <returns>The full path of the first such folder, or null if there is none.</returns>
    public static string? FindDirectory(string relative = "data/mnist")
    {
        ArgumentException.ThrowIfNullOrEmpty(relative);
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (string? dir = Path.GetFullPath(start); dir is not null; dir = Path.GetDirectoryName(dir))
            {
                string candidate = Path.Combine(dir, relative);
                if (File.Exists(Path.Combine(candidate, TrainImagesName)) || File.Exists(Path.Combine(candidate, TrainImagesName + ".gz")))
                    return Path.GetFullPath(candidate);
            }
        }
        return null;
    }

    /// <summary>Loads the training and test sets from <paramref name="directory"/>.</summary>
    /// <param name="directory">The folder of the four files.</param>
    /// <exception cref="DataFormatException">The folder or a file is missing, or a file is not valid.</exception>
    public static (ImageDataset Train, ImageDataset Test) Load(string directory) => (LoadTrain(directory), LoadTest(directory));

    /// <summary>Loads the training set (60000 images) from <paramref name="directory"/>.</summary>
    /// <param name="directory">The folder of the files.</param>
    /// <exception cref="DataFormatException">The folder or a file is missing, or a file is not valid.</exception>
    public static ImageDataset LoadTrain(string directory) => LoadSet(directory, TrainImagesName, TrainLabelsName);

    /// <summary>Loads the test set (10000 images) from <paramref name="directory"/>.</summary>
    /// <param name="directory">The folder of the files.</param>
    /// <exception cref="DataFormatException">The folder or a file is missing, or a file is not valid.</exception>
    public static ImageDataset LoadTest(string directory) => LoadSet(directory, TestImagesName, TestLabelsName);

    private static ImageDataset LoadSet(string directory, string imagesName, string labelsName)
    {
        CheckDirectory(directory);
        string imagesPath = PathOf(directory, imagesName);
        string labelsPath = PathOf(directory, labelsName);
        using IdxFileReader images = IdxFileReader.Open(imagesPath);
        using IdxFileReader labels = IdxFileReader.Open(labelsPath);
        // The headers first: a mismatch is found before gigabytes of images are read.
        ImageDataset.CheckShapes(images.Dimensions, labels.Dimensions, imagesPath, labelsPath);
        IdxFile labelsFile = labels.ReadAll();
        ImageDataset.CheckLabels(labelsFile.Data, labelsPath);
        return ImageDataset.FromIdx(images.ReadAll(), labelsFile, imagesPath, labelsPath);
    }

    private static void CheckDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        FileKind kind = FileFacts.KindOf(directory);
        if (kind == FileKind.Missing) throw new DataFormatException(directory, "folder not found");
        if (kind != FileKind.Directory) throw new DataFormatException(directory, $"is {FileFacts.Describe(kind)}, not a folder");
    }

    /// <summary>The file the loaders read for <paramref name="name"/> (such as <see cref="TestImagesName"/>) in <paramref name="directory"/>: plain if it exists, else gzipped.</summary>
    /// <exception cref="DataFormatException">Neither exists.</exception>
    public static string PathOf(string directory, string name)
    {
        string plain = Path.Combine(directory, name);
        if (File.Exists(plain)) return plain;
        string gzipped = plain + ".gz";
        if (File.Exists(gzipped)) return gzipped;
        throw new DataFormatException(plain + "(.gz)", "file not found");
    }
}
