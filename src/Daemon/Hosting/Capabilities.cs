using System.Globalization;

namespace Ipvs.Daemon.Hosting;

/// <summary>
/// The process's effective capabilities (CapEff in /proc/self/status): enough to say at start which one is
/// missing instead of failing later with EPERM.
/// </summary>
internal static class Capabilities
{
    public const int NetAdmin = 12;
    public const int NetRaw = 13;

    /// <summary>The effective set, or null when it cannot be read (not Linux).</summary>
    public static ulong? Effective(string statusPath = "/proc/self/status")
    {
        try
        {
            foreach (var line in File.ReadLines(statusPath))
            {
                if (line.StartsWith("CapEff:", StringComparison.Ordinal))
                {
                    return ulong.Parse(line.AsSpan(7).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return null;
    }

    public static bool Has(ulong set, int capability) => (set & (1UL << capability)) != 0;

    /// <summary>Operator-worded problems for what the config needs and the process lacks (empty when all is there).</summary>
    public static IReadOnlyList<string> Missing(ulong? effective, bool needsRaw)
    {
        if (effective is not { } set)
        {
            return [];
        }
        var problems = new List<string>();
        if (!Has(set, NetAdmin))
        {
            problems.Add("missing CAP_NET_ADMIN: ipvs-checkd cannot change the IPVS table. Run it as root, or give it the capability (systemd: AmbientCapabilities=CAP_NET_ADMIN CAP_NET_RAW, as in the shipped unit)");
        }
        if (needsRaw && !Has(set, NetRaw))
        {
            problems.Add("missing CAP_NET_RAW: icmp checks fall back to the unprivileged ping socket, which works only if net.ipv4.ping_group_range includes the daemon's group");
        }
        return problems;
    }
}
