using Ipvs.Daemon.Alerts;
using Ipvs.Daemon.Web.Status;
using Prometheus;

namespace Ipvs.Daemon.Web.Metrics;

/// <summary>
/// The daemon's Prometheus registry. Realserver, virtual-service and daemon series are filled from one engine
/// snapshot at scrape time (a before-collect callback), so the check path never touches a gauge; series of
/// realservers and virtual services that are gone are removed at the same moment. Names: docs/metrics.md.
/// </summary>
public sealed class IpvsMetrics
{
    private readonly IStatusSource _source;
    private readonly Lock _lock = new();
    private readonly SeriesSet _realservers = new();
    private readonly SeriesSet _services = new();
    private readonly RealServerSeries _rs;
    private readonly CheckSeries _checks;
    private readonly VirtualServiceSeries _vs;
    private readonly DaemonSeries _daemon;
    private readonly LoopSeries _loops;
    private readonly AlertSeries? _alerts;

    public IpvsMetrics(MetricsRegistry registry, IStatusSource source, AlertCounters? alerts = null)
    {
        _source = source;
        Registry = registry.Registry;
        var factory = registry.Factory;
        _rs = new RealServerSeries(factory);
        _checks = new CheckSeries(factory);
        _vs = new VirtualServiceSeries(factory);
        _daemon = new DaemonSeries(factory);
        _loops = new LoopSeries(factory);
        BuildInfoSeries.Register(factory);
        _alerts = alerts is null ? null : new AlertSeries(factory, alerts);
        Registry.AddBeforeCollectCallback(Refresh);
    }

    public CollectorRegistry Registry { get; }

    /// <summary>Count of requests refused by the admin API for a missing or wrong token.</summary>
    public Counter AuthFailures => _daemon.AuthFailures;

    /// <summary>Copies the current engine snapshot into the series. Runs on every scrape.</summary>
    public void Refresh()
    {
        var snapshot = _source.Capture();
        lock (_lock)
        {
            _realservers.Clear();
            _services.Clear();
            _checks.Clear();
            foreach (var vs in snapshot.VirtualServices)
            {
                var vsLabels = MetricLabels.For(vs);
                _services.Mark(vsLabels);
                _vs.Write(vs, vsLabels);
                foreach (var rs in vs.Realservers)
                {
                    var rsLabels = MetricLabels.For(vs, rs);
                    _realservers.Mark(rsLabels);
                    _rs.Write(rs, rsLabels);
                    _checks.Write(rs, rsLabels);
                }
            }
            _rs.Sweep(_realservers);
            _checks.Sweep();
            _vs.Sweep(_services);
            _daemon.Write(snapshot.Daemon);
            _loops.Write(snapshot.Daemon.ProbeLoops);
            _alerts?.Write();
        }
    }
}
