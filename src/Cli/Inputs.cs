using System;

namespace NetGen.Cli;

/// <summary>
/// Reads what the user gave (data, model files, images) so that running out of memory doing so is bad input, exit 1, with
/// one line naming it: the memory was asked for by the input (the readers bound it by the file's size), and the program
/// does not crash with "Out of memory." and a stack trace.
/// </summary>
internal static class Inputs
{
    /// <summary>
    /// Runs <paramref name="read"/>; running out of memory is a <see cref="UsageException"/>,
    /// <c>NAME: not enough memory to read WHAT</c>.
    /// </summary>
    /// <param name="name">The file or folder read, as the user gave it.</param>
    /// <param name="read">The reading.</param>
    /// <param name="what">What is read of it: "it" for a file, "the MNIST files in it" for the data folder.</param>
    public static T Read<T>(string name, Func<T> read, string what = "it")
    {
        try
        {
            return read();
        }
        catch (OutOfMemoryException)
        {
            throw new UsageException($"{name}: not enough memory to read {what}");
        }
    }
}
