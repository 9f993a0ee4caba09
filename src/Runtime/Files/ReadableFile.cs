namespace NetGen;

/// <summary>
/// The check the runtime's readers make on a path before opening it: only a regular file is opened, because opening a
/// named pipe waits for a writer (maybe forever) and a device can give endless bytes or none.
/// </summary>
internal static class ReadableFile
{
    /// <summary>
    /// Why <paramref name="path"/> is not read ("is a named pipe (FIFO), not a regular file"), or null for a regular file
    /// and for a missing one, whose open then says what is wrong (no such file or folder, no permission).
    /// </summary>
    public static string? Refusal(string path) => FileFacts.KindOf(path) switch
    {
        FileKind.Regular or FileKind.Missing => null,
        FileKind.Directory => "is a folder, not a file",
        FileKind kind => $"is {FileFacts.Describe(kind)}, not a regular file",
    };
}
