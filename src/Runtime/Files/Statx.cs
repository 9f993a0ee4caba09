using System;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace NetGen;

/// <summary>
/// Linux's <c>statx</c> (glibc 2.28 and later): a file's type, device and inode, without opening it. Its result is laid
/// out the same on every architecture, unlike <c>struct stat</c>, so one set of offsets serves x64 and arm64.
/// </summary>
internal static partial class Statx
{
    private const int CurrentDirectory = -100; // AT_FDCWD
    private const int EmptyPath = 0x1000; // AT_EMPTY_PATH: the descriptor itself
    private const uint BasicStats = 0x7ff; // STATX_BASIC_STATS
    private const int BufferSize = 256; // sizeof(struct statx)

    // Offsets in struct statx (linux/stat.h).
    private const int ModeOffset = 28, InodeOffset = 32, DeviceMajorOffset = 136, DeviceMinorOffset = 140;

    /// <summary>What statx says of a file.</summary>
    public readonly record struct Status(FileKind Kind, FileIdentity Identity);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int StatxPath(int directory, string path, int flags, uint mask, Span<byte> buffer);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int StatxHandle(SafeFileHandle handle, string path, int flags, uint mask, Span<byte> buffer);

    /// <summary>The status of what <paramref name="path"/> names, links followed; false if nothing (or statx is missing).</summary>
    public static bool Of(string path, out Status status)
    {
        Span<byte> buffer = stackalloc byte[BufferSize];
        int result;
        try
        {
            result = StatxPath(CurrentDirectory, path, 0, BasicStats, buffer);
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            result = -1; // a C library without statx: say nothing
        }
        return Read(result, buffer, out status);
    }

    /// <summary>The status of the file an open handle refers to.</summary>
    public static bool Of(SafeFileHandle handle, out Status status)
    {
        Span<byte> buffer = stackalloc byte[BufferSize];
        int result;
        try
        {
            result = StatxHandle(handle, "", EmptyPath, BasicStats, buffer);
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            result = -1;
        }
        return Read(result, buffer, out status);
    }

    private static bool Read(int result, ReadOnlySpan<byte> buffer, out Status status)
    {
        status = default;
        if (result != 0) return false;
        // In the machine's own byte order, as the kernel wrote it.
        uint mode = MemoryMarshal.Read<ushort>(buffer.Slice(ModeOffset));
        ulong inode = MemoryMarshal.Read<ulong>(buffer.Slice(InodeOffset));
        ulong device = ((ulong)MemoryMarshal.Read<uint>(buffer.Slice(DeviceMajorOffset)) << 32) | MemoryMarshal.Read<uint>(buffer.Slice(DeviceMinorOffset));
        FileKind kind = (mode & 0xF000) switch // S_IFMT
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0x1000 => FileKind.Fifo,
            0xC000 => FileKind.Socket,
            _ => FileKind.Other,
        };
        status = new Status(kind, new FileIdentity(device, inode));
        return true;
    }
}
