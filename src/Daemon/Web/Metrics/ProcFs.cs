using System.Globalization;

namespace Ipvs.Daemon.Web.Metrics;

/// <summary>Readings of this process from /proc/self (Linux); null where the file is not there or not as expected.</summary>
internal static class ProcFs
{
    public static int? OpenDescriptors()
    {
        try
        {
            var n = 0;
            foreach (var _ in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
            {
                n++;
            }
            // The enumeration held one descriptor of its own (the directory it read).
            return Math.Max(n - 1, 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The soft limit from "Max open files  SOFT  HARD  files" in /proc/self/limits.</summary>
    public static long? DescriptorLimit() =>
        Field("/proc/self/limits", "Max open files", 0) is { } soft && long.TryParse(soft, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) ? limit : null;

    /// <summary>"Threads:  N" in /proc/self/status.</summary>
    public static int? Threads() =>
        Field("/proc/self/status", "Threads:", 0) is { } text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static string? Field(string path, string prefix, int index)
    {
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    var words = line[prefix.Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                    return index < words.Length ? words[index] : null;
                }
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
