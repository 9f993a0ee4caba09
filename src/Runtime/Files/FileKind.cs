namespace NetGen;

/// <summary>What a path names on disk, symbolic links followed.</summary>
public enum FileKind
{
    /// <summary>Nothing: no such file, or a symbolic link to nothing.</summary>
    Missing,

    /// <summary>A regular file: the only kind NetGen reads data, models and images from, or writes outputs to.</summary>
    Regular,

    /// <summary>A folder.</summary>
    Directory,

    /// <summary>A character device, such as <c>/dev/zero</c> or <c>/dev/null</c>.</summary>
    CharacterDevice,

    /// <summary>A block device.</summary>
    BlockDevice,

    /// <summary>A named pipe (FIFO): reading one waits for a writer, maybe forever.</summary>
    Fifo,

    /// <summary>A Unix domain socket.</summary>
    Socket,

    /// <summary>Something else, or a kind this system does not say.</summary>
    Other,
}
