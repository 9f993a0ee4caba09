namespace NetGen;

/// <summary>
/// Which file a path names, whatever path names it: the device and the file number (inode) on it. Two paths name the same
/// file when their identities are equal, through symbolic links and hard links alike.
/// </summary>
/// <param name="Device">The device the file is on.</param>
/// <param name="Inode">The file's number on that device (on systems without inodes, a hash of its full resolved path).</param>
public readonly record struct FileIdentity(ulong Device, ulong Inode);
