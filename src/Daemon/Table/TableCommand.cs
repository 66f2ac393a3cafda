using Ipvs.Netlink;

namespace Ipvs.Daemon.Table;

/// <summary>
/// The <c>table</c> verb: prints the kernel's IPVS table as <c>ipvsadm -Ln</c> does (with <c>--stats</c> or
/// <c>--rate</c> columns), or as JSON: one object per virtual service with its destinations.
/// </summary>
public static class TableCommand
{
    /// <summary>Exit code when the kernel has no IPVS.</summary>
    public const int ExitNoIpvs = 2;

    /// <summary>Exit code when CAP_NET_ADMIN is missing.</summary>
    public const int ExitNoPermission = 3;

    /// <summary>Exit code for any other failure to read the table.</summary>
    public const int ExitFailed = 1;

    /// <summary>Reads the table over netlink and prints it. Returns the process exit code (0 on success).</summary>
    public static int Run(TextWriter stdout, TextWriter stderr, bool json, bool stats, bool rate)
        => Run(stdout, stderr, json, stats, rate, null);

    /// <summary>As <see cref="Run(TextWriter, TextWriter, bool, bool, bool)"/>, with the running daemon's health and admin columns joined in when <paramref name="daemon"/> is given.</summary>
    internal static int Run(TextWriter stdout, TextWriter stderr, bool json, bool stats, bool rate, DaemonView? daemon)
    {
        IpvsInfo info;
        IReadOnlyList<ServiceEntry> table;
        try
        {
            using IpvsClient client = IpvsClient.Open();
            info = client.Info;
            table = client.DumpTable();
        }
        catch (IpvsException e)
        {
            stderr.WriteLine(e.Kind switch
            {
                IpvsErrorKind.NotAvailable => "ipvs-checkd: this kernel has no IPVS (ip_vs module not loaded)",
                IpvsErrorKind.PermissionDenied => "ipvs-checkd: CAP_NET_ADMIN is required to read the IPVS table (run as root or grant the capability)",
                _ => $"ipvs-checkd: reading the IPVS table failed: {e.Message}",
            });
            return e.Kind switch
            {
                IpvsErrorKind.NotAvailable => ExitNoIpvs,
                IpvsErrorKind.PermissionDenied => ExitNoPermission,
                _ => ExitFailed,
            };
        }

        List<ServiceEntry> sorted = TableOrder.Sort(table);
        if (json)
        {
            TableJson.Write(stdout, info, sorted, daemon);
        }
        else
        {
            TableText.Write(stdout, info, sorted, rate ? TableColumns.Rate : stats ? TableColumns.Stats : TableColumns.Plain, daemon);
        }
        return 0;
    }
}
