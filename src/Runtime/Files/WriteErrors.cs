using System;
using System.IO;

namespace NetGen;

/// <summary>
/// How NetGen's writers say that a write failed: one line, <c>PATH: cannot write: PROBLEM</c>, with the path the caller
/// gave and never a file the caller did not name (a temporary file, a lock file).
/// </summary>
internal static class WriteErrors
{
    /// <summary>The exception for a write of <paramref name="path"/> that failed.</summary>
    public static IOException CannotWrite(string path, string problem, Exception? inner = null) =>
        new(DataFormatException.OneLine($"{DataFormatException.OneLine(path)}: cannot write: {DataFormatException.OneLine(problem)}"), inner);

    /// <summary>
    /// What went wrong with <paramref name="hidden"/>, a file in <paramref name="folder"/> made on the caller's behalf, in
    /// words that do not name it: .NET's messages end with the path they failed on.
    /// </summary>
    public static string Problem(Exception e, string hidden, string folder) => e switch
    {
        UnauthorizedAccessException => $"no permission to write in the folder {folder}",
        _ => e.Message.Replace($" : '{hidden}'", "", StringComparison.Ordinal)
            .Replace($"'{hidden}'", "a file in " + folder, StringComparison.Ordinal)
            .Replace(hidden, "a file in " + folder, StringComparison.Ordinal),
    };
}
