using Ipvs.Daemon.Alerts;
using Prometheus;

namespace Ipvs.Daemon.Web.Metrics;

/// <summary>Counters of the alert pipeline (no labels).</summary>
internal sealed class AlertSeries(IMetricFactory factory, AlertCounters counters)
{
    private readonly Counter _sent = factory.CreateCounter("ipvs_checkd_alerts_sent_total", "Alert hook calls that succeeded.");
    private readonly Counter _failed = factory.CreateCounter("ipvs_checkd_alerts_failed_total", "Alert hook calls that failed or timed out.");
    private readonly Counter _dropped = factory.CreateCounter("ipvs_checkd_alerts_dropped_total", "Alerts dropped because the hook queue was full.");
    private readonly Counter _suppressed = factory.CreateCounter("ipvs_checkd_alerts_suppressed_total", "Repeat alerts not sent because the host reached the maximum count.");
    private readonly Counter _intakeDropped = factory.CreateCounter("ipvs_checkd_alert_transitions_dropped_total", "Transitions the alert intake dropped (queue full).");

    public void Write()
    {
        CounterSync.SetTotal(_sent, counters.Sent);
        CounterSync.SetTotal(_failed, counters.Failed);
        CounterSync.SetTotal(_dropped, counters.Dropped);
        CounterSync.SetTotal(_suppressed, counters.Suppressed);
        CounterSync.SetTotal(_intakeDropped, counters.TransitionsDropped);
    }
}
