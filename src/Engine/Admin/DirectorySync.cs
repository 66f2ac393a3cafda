using System.Runtime.InteropServices;

namespace Ipvs.Engine;

/// <summary>
/// fsync of a directory: after a rename, the new name is durable only once the directory itself is flushed
/// (rename(2) says nothing of durability; ext4 and xfs need the fsync). .NET cannot open a directory, hence libc.
/// </summary>
internal static partial class DirectorySync
{
    private const int O_RDONLY = 0;
    private const int O_DIRECTORY = 0x10000;
    private const int O_CLOEXEC = 0x80000;

    /// <summary>Flushes <paramref name="directory"/>; throws <see cref="IOException"/> with errno when it cannot.</summary>
    public static void Flush(string directory)
    {
        var fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory {directory} to flush it: errno {Marshal.GetLastPInvokeError()}");
        }
        try
        {
            if (fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory {directory} failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            _ = close(fd);
        }
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc")]
    private static partial int close(int fd);
}
