using Ipvs.Daemon.Alerts;
using Ipvs.Daemon.Web.Status;
using Prometheus;

namespace Ipvs.Daemon.Web.Metrics;

/// <summary>
/// The daemon's Prometheus registry side: daemon, alert and process series (no labels or few), filled from the
/// scrape's snapshot by <see cref="Refresh"/>, so the check path never touches a gauge. Realserver and
/// virtual-service series are not here: <see cref="MetricsExposition"/> writes them straight from the snapshot.
/// Anything else registered on <see cref="Registry"/> is exported as it is. Names: docs/metrics.md.
/// </summary>
public sealed class IpvsMetrics
{
    private readonly DaemonSeries _daemon;
    private readonly LoopSeries _loops;
    private readonly AlertSeries? _alerts;
    private readonly ProcessSeries _process;

    public IpvsMetrics(MetricsRegistry registry, AlertCounters? alerts = null)
    {
        Registry = registry.Registry;
        var factory = registry.Factory;
        _daemon = new DaemonSeries(factory);
        _loops = new LoopSeries(factory);
        BuildInfoSeries.Register(factory);
        _alerts = alerts is null ? null : new AlertSeries(factory, alerts);
        _process = new ProcessSeries(factory);
    }

    public CollectorRegistry Registry { get; }

    /// <summary>Count of requests refused by the admin API for a missing or wrong token.</summary>
    public Counter AuthFailures => _daemon.AuthFailures;

    /// <summary>Copies one scrape's snapshot (and the process' readings) into the registry's series.</summary>
    public void Refresh(StatusSnapshot snapshot)
    {
        _daemon.Write(snapshot.Daemon);
        _loops.Write(snapshot.Daemon.ProbeLoops);
        _alerts?.Write();
        _process.Write();
    }
}
