namespace Ipvs.Daemon.Tests.Web;

/// <summary>Writes an admin token file; by default one the daemon accepts: mode 0600 (group-writable or world-readable files are refused).</summary>
internal static class TokenFile
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static async Task WriteAsync(string path, string content, UnixFileMode mode = OwnerOnly)
    {
        await File.WriteAllTextAsync(path, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }
}
