using System.Globalization;
using Ipvs.Daemon.Web.Status;

namespace Ipvs.Daemon.Web.Metrics;

/// <summary>
/// Label names and values shared with node_exporter's IPVS collector, so queries can join on them:
/// proto is upper case ("TCP", "UDP", "SCTP", or "FWM" for a firewall-mark service) and local_mark is the
/// mark as the kernel prints it in /proc/net/ip_vs (8 upper-case hex digits), empty for address services.
/// </summary>
internal static class MetricLabels
{
    public static readonly string[] VirtualService = ["virtual_service", "local_address", "local_port", "local_mark", "proto"];

    public static readonly string[] RealServer =
        ["virtual_service", "local_address", "local_port", "local_mark", "proto", "remote_address", "remote_port"];

    public static string[] For(VirtualServiceStatus vs) =>
        [vs.Name, vs.Address, Port(vs), Mark(vs), Proto(vs)];

    public static string[] For(VirtualServiceStatus vs, RealServerStatus rs) =>
        [vs.Name, vs.Address, Port(vs), Mark(vs), Proto(vs), rs.Address, rs.Port.ToString(CultureInfo.InvariantCulture)];

    private static string Port(VirtualServiceStatus vs) => vs.Port.ToString(CultureInfo.InvariantCulture);

    private static string Mark(VirtualServiceStatus vs) =>
        vs.Fwmark == 0 ? "" : vs.Fwmark.ToString("X8", CultureInfo.InvariantCulture);

    private static string Proto(VirtualServiceStatus vs) => vs.Fwmark != 0 ? "FWM" : vs.Protocol.ToUpperInvariant();
}
