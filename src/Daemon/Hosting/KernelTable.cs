using Ipvs.Engine;
using Ipvs.Netlink;

namespace Ipvs.Daemon.Hosting;

/// <summary>Opens the kernel's IPVS table, or says in one line why it cannot.</summary>
internal static class KernelTable
{
    /// <summary>What <c>run</c> says; the demo says only the first half (it then uses its in-memory table).</summary>
    public const string NoIpvs = NoIpvsReason + "; use `demo` to try the daemon without it";

    public const string NoIpvsReason = "this kernel has no IPVS";

    /// <summary>The kernel's table over netlink; null with the reason when the kernel has no IPVS or we may not use it.</summary>
    public static IIpvsTable? TryOpen(out string? error)
    {
        // /proc/net/ip_vs exists while the ip_vs module is loaded (or built in); the library never loads modules.
        if (!File.Exists("/proc/net/ip_vs"))
        {
            error = NoIpvsReason;
            return null;
        }
        try
        {
            var table = NetlinkIpvsTable.Open();
            error = null;
            return table;
        }
        catch (IpvsException e)
        {
            error = e.Kind switch
            {
                IpvsErrorKind.NotAvailable => NoIpvsReason,
                IpvsErrorKind.PermissionDenied => "missing CAP_NET_ADMIN: cannot use the kernel's IPVS table (" + e.Message + ")",
                _ => "cannot open the kernel's IPVS table: " + e.Message,
            };
            return null;
        }
    }
}
