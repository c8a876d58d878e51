using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SafetyPrograms.Cli.Console;

/// <summary>What a path is on disk, after symbolic links: its kind, and its device and inode, which two names of one file share.</summary>
/// <param name="Kind">A regular file, a directory or something else (a device, pipe or socket).</param>
/// <param name="Device">The device number; with <paramref name="Inode"/>, the file's identity on Linux.</param>
/// <param name="Inode">The inode number.</param>
/// <param name="FullPath">The path after symbolic links, for systems where identity is judged by name.</param>
internal sealed partial record FileIdentity(FileIdentity.Kinds Kind, ulong Device, ulong Inode, string FullPath)
{
    internal enum Kinds
    {
        Regular,
        Directory,
        Special,
    }

    /// <summary>Whether both names lead to one file: by device and inode where the system tells them, else by resolved path.</summary>
    public bool IsSameFileAs(FileIdentity other) =>
        Device != 0 || Inode != 0
            ? Device == other.Device && Inode == other.Inode
            : string.Equals(FullPath, other.FullPath, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    /// <summary>The file at <paramref name="path"/> (symbolic links followed), or null when nothing is there.</summary>
    public static FileIdentity? Of(string path)
    {
        var full = Path.GetFullPath(path);
        if (OperatingSystem.IsLinux())
        {
            var status = default(StatxBuffer);
            if (Statx(AtCurrentDirectory, full, 0, StatxBasicStats, ref status) != 0)
            {
                return null;
            }
            var mode = MemoryMarshal.Read<ushort>(((ReadOnlySpan<byte>)status)[28..]);
            var kind = (mode & 0xF000) switch
            {
                0x8000 => Kinds.Regular,
                0x4000 => Kinds.Directory,
                _ => Kinds.Special,
            };
            var inode = MemoryMarshal.Read<ulong>(((ReadOnlySpan<byte>)status)[32..]);
            var device = ((ulong)MemoryMarshal.Read<uint>(((ReadOnlySpan<byte>)status)[136..]) << 32) | MemoryMarshal.Read<uint>(((ReadOnlySpan<byte>)status)[140..]);
            return new FileIdentity(kind, device, inode, full);
        }
        // Elsewhere: the kind from the file system, identity by the path after links (hard links are not seen).
        FileSystemInfo info = Directory.Exists(full) ? new DirectoryInfo(full) : new FileInfo(full);
        if (!info.Exists)
        {
            return null;
        }
        var target = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        var special = info is FileInfo && (info.Attributes & FileAttributes.Device) != 0;
        return new FileIdentity(info is DirectoryInfo ? Kinds.Directory : special ? Kinds.Special : Kinds.Regular, 0, 0, target);
    }

    private const int AtCurrentDirectory = -100;
    private const uint StatxBasicStats = 0x7FF;

    // struct statx has the same 256-byte layout on every Linux architecture: mode at 28, inode at 32, device at 136 and 140.
    [InlineArray(256)]
    private struct StatxBuffer
    {
        private byte _first;
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, ref StatxBuffer status);
}
