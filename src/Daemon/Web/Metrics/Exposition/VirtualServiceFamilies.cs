using Ipvs.Daemon.Web.Status;

namespace Ipvs.Daemon.Web.Metrics.Exposition;

/// <summary>
/// The per-virtual-service families. Kernel counters are exported as the kernel reports them: when the kernel's
/// counter restarts (service re-created, <c>ipvsadm -Z</c>) the series goes down, which rate() reads as a reset.
/// </summary>
internal static class VirtualServiceFamilies
{
    private const string Gauge = "gauge";
    private const string Counter = "counter";

    public static IReadOnlyList<SnapshotFamily<VirtualServiceStatus>> All { get; } =
    [
        new("ipvs_checkd_virtual_service_live_realservers", Gauge, "Realservers that are up and ready (taking new connections).", v => v.LiveRealservers),
        new("ipvs_checkd_virtual_service_realservers", Gauge, "Realservers configured.", v => v.Realservers.Count),
        new("ipvs_checkd_virtual_service_quorum_up", Gauge, "1 while the live weight meets the quorum, 0 when quorum is lost.", v => v.QuorumUp ? 1 : 0),
        new("ipvs_checkd_virtual_service_sorry_server_active", Gauge, "1 while the sorry server is in the table.", v => v.SorryServerActive ? 1 : 0),
        new("ipvs_checkd_virtual_service_mass_failure_held", Gauge,
            "1 while the mass-failure guard holds failed realservers in (release: ipvs-checkd release-hold).", v => v.MassFailureHold is null ? 0 : 1),
        new("ipvs_checkd_virtual_service_connections_total", Counter, "Connections the kernel scheduled (kernel counter).", v => v.Kernel?.Connections),
        new("ipvs_checkd_virtual_service_incoming_packets_total", Counter, "Packets in (kernel counter).", v => v.Kernel?.InPackets),
        new("ipvs_checkd_virtual_service_outgoing_packets_total", Counter, "Packets out (kernel counter).", v => v.Kernel?.OutPackets),
        new("ipvs_checkd_virtual_service_incoming_bytes_total", Counter, "Bytes in (kernel counter).", v => v.Kernel?.InBytes),
        new("ipvs_checkd_virtual_service_outgoing_bytes_total", Counter, "Bytes out (kernel counter).", v => v.Kernel?.OutBytes),
    ];
}
