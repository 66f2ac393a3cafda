using Ipvs.Daemon.Web.Status;
using Prometheus;

namespace Ipvs.Daemon.Web.Metrics;

/// <summary>Per-virtual-service series (labels: <see cref="MetricLabels.VirtualService"/>).</summary>
internal sealed class VirtualServiceSeries
{
    private readonly Gauge _live;
    private readonly Gauge _total;
    private readonly Gauge _quorumUp;
    private readonly Gauge _sorry;
    private readonly Gauge _held;
    private readonly Counter _connections;
    private readonly Counter _inPackets;
    private readonly Counter _outPackets;
    private readonly Counter _inBytes;
    private readonly Counter _outBytes;

    public VirtualServiceSeries(IMetricFactory factory)
    {
        var g = new GaugeConfiguration { LabelNames = MetricLabels.VirtualService };
        var c = new CounterConfiguration { LabelNames = MetricLabels.VirtualService };
        _live = factory.CreateGauge("ipvs_checkd_virtual_service_live_realservers", "Realservers that are up and ready (taking new connections).", g);
        _total = factory.CreateGauge("ipvs_checkd_virtual_service_realservers", "Realservers configured.", g);
        _quorumUp = factory.CreateGauge("ipvs_checkd_virtual_service_quorum_up", "1 while the live weight meets the quorum, 0 when quorum is lost.", g);
        _sorry = factory.CreateGauge("ipvs_checkd_virtual_service_sorry_server_active", "1 while the sorry server is in the table.", g);
        _held = factory.CreateGauge("ipvs_checkd_virtual_service_mass_failure_held", "1 while the mass-failure guard holds failed realservers in (release: ipvs-checkd release-hold).", g);
        _connections = factory.CreateCounter("ipvs_checkd_virtual_service_connections_total", "Connections the kernel scheduled (kernel counter).", c);
        _inPackets = factory.CreateCounter("ipvs_checkd_virtual_service_incoming_packets_total", "Packets in (kernel counter).", c);
        _outPackets = factory.CreateCounter("ipvs_checkd_virtual_service_outgoing_packets_total", "Packets out (kernel counter).", c);
        _inBytes = factory.CreateCounter("ipvs_checkd_virtual_service_incoming_bytes_total", "Bytes in (kernel counter).", c);
        _outBytes = factory.CreateCounter("ipvs_checkd_virtual_service_outgoing_bytes_total", "Bytes out (kernel counter).", c);
    }

    public void Write(VirtualServiceStatus vs, string[] labels)
    {
        _live.WithLabels(labels).Set(vs.LiveRealservers);
        _total.WithLabels(labels).Set(vs.Realservers.Count);
        _quorumUp.WithLabels(labels).Set(vs.QuorumUp ? 1 : 0);
        _sorry.WithLabels(labels).Set(vs.SorryServerActive ? 1 : 0);
        _held.WithLabels(labels).Set(vs.MassFailureHold is null ? 0 : 1);
        if (vs.Kernel is { } k)
        {
            CounterSync.SetTotal(_connections, labels, k.Connections);
            CounterSync.SetTotal(_inPackets, labels, k.InPackets);
            CounterSync.SetTotal(_outPackets, labels, k.OutPackets);
            CounterSync.SetTotal(_inBytes, labels, k.InBytes);
            CounterSync.SetTotal(_outBytes, labels, k.OutBytes);
        }
    }

    public void Sweep(SeriesSet current)
    {
        var n = MetricLabels.VirtualService.Length;
        current.Sweep(_live, n);
        current.Sweep(_total, n);
        current.Sweep(_quorumUp, n);
        current.Sweep(_sorry, n);
        current.Sweep(_held, n);
        current.Sweep(_connections, n);
        current.Sweep(_inPackets, n);
        current.Sweep(_outPackets, n);
        current.Sweep(_inBytes, n);
        current.Sweep(_outBytes, n);
    }
}
