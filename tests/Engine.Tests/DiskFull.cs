namespace Ipvs.Engine.Tests;

/// <summary>
/// A temp-file opener for <see cref="FileAdminStateStore.OpenTemp"/> that creates the file as the store does, but
/// writes through /dev/full: every write fails with the kernel's own ENOSPC.
/// </summary>
internal static class DiskFull
{
    public static FileStream Open(string tmp)
    {
        new FileStream(tmp, FileMode.CreateNew, FileAccess.Write).Dispose();
        return new FileStream("/dev/full", FileMode.Open, FileAccess.Write);
    }
}
