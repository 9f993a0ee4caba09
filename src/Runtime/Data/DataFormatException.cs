using System;

namespace NetGen;

/// <summary>
/// A problem with a data file: missing, unreadable, corrupt, truncated, or with content that does not fit.
/// The <see cref="Exception.Message"/> is one line that names the file and says what is wrong, e.g.
/// <c>data/mnist/train-images-idx3-ubyte.gz: truncated: header says 60000 images of 28x28 (47040016 bytes) but the file ends after 1234 bytes</c>,
/// so a command-line tool can print it as it is.
/// </summary>
public sealed class DataFormatException : Exception
{
    /// <summary>A problem with the file <paramref name="filePath"/>.</summary>
    /// <param name="filePath">The file, as it should be shown to the user; null if the problem is not about one file.</param>
    /// <param name="problem">What is wrong, one line, without the file name.</param>
    public DataFormatException(string? filePath, string problem)
        : this(filePath, problem, null)
    {
    }

    /// <summary>A problem with the file <paramref name="filePath"/>, caused by <paramref name="innerException"/>.</summary>
    /// <param name="filePath">The file, as it should be shown to the user; null if the problem is not about one file.</param>
    /// <param name="problem">What is wrong, one line, without the file name.</param>
    /// <param name="innerException">The exception that revealed the problem, if any.</param>
    public DataFormatException(string? filePath, string problem, Exception? innerException)
        : base(Compose(filePath, problem), innerException)
    {
        FilePath = filePath;
        Problem = OneLine(problem);
    }

    /// <summary>
    /// A problem at a place in the file <paramref name="filePath"/>: the message is <c>FILE(LOCATION): PROBLEM</c>, e.g.
    /// <c>data.csv(line 17, column "age"): "abc" is not a number</c>; <see cref="Problem"/> is <c>LOCATION: PROBLEM</c>.
    /// </summary>
    internal DataFormatException(string filePath, string location, string problem, Exception? innerException = null)
        : base(OneLine(filePath) + "(" + OneLine(location) + "): " + OneLine(problem), innerException)
    {
        FilePath = filePath;
        Problem = OneLine(location) + ": " + OneLine(problem);
    }

    /// <summary>The file the problem is in, as shown in the message; null if the problem is not about one file.</summary>
    public string? FilePath { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Problem { get; }

    private static string Compose(string? filePath, string problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        string line = OneLine(problem);
        return filePath is null ? line : OneLine(filePath) + ": " + line;
    }

    /// <summary>Joins the lines of <paramref name="text"/> so that the message stays on one line.</summary>
    internal static string OneLine(string text)
    {
        if (text.IndexOfAny(new[] { '\r', '\n' }) < 0) return text.Trim();
        string[] parts = text.Split(new[] { '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join(" ", parts);
    }
}
