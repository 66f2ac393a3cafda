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
}
