using Ipvs.Daemon.Web.Status;
using Prometheus;

namespace Ipvs.Daemon.Web.Metrics;

/// <summary>Per-realserver series (labels: <see cref="MetricLabels.RealServer"/>).</summary>
internal sealed class RealServerSeries
{
    private readonly Gauge _up;
    private readonly Gauge _health;
    private readonly Gauge _admin;
    private readonly Gauge _weightConfigured;
    private readonly Gauge _weightDesired;
    private readonly Gauge _weightKernel;
    private readonly Gauge _lastChange;
    private readonly Gauge _lastCheckDuration;
    private readonly Counter _transitions;
    private readonly Gauge _flapDamped;

    public RealServerSeries(IMetricFactory factory)
    {
        var labels = new GaugeConfiguration { LabelNames = MetricLabels.RealServer };
        _up = factory.CreateGauge("ipvs_checkd_realserver_up", "1 when the realserver's health is up (or up and falling), else 0.", labels);
        _health = factory.CreateGauge("ipvs_checkd_realserver_health",
            "Health state: 0 unknown, 1 up, 2 falling (up, failing checks), 3 down, 4 rising (down, passing checks).", labels);
        _admin = factory.CreateGauge("ipvs_checkd_realserver_admin_state", "Admin state: 0 ready, 1 drain, 2 maintenance.", labels);
        _weightConfigured = factory.CreateGauge("ipvs_checkd_realserver_weight_configured", "Weight from the config (or the operator's override).", labels);
        _weightDesired = factory.CreateGauge("ipvs_checkd_realserver_weight_desired", "Weight the engine wants in the kernel.", labels);
        _weightKernel = factory.CreateGauge("ipvs_checkd_realserver_weight_kernel",
            "Weight in the kernel table at the last read; absent when the destination is not in the kernel.", labels);
        _lastChange = factory.CreateGauge("ipvs_checkd_realserver_last_change_timestamp_seconds", "Unix time of the last health change.", labels);
        _lastCheckDuration = factory.CreateGauge("ipvs_checkd_realserver_last_check_duration_seconds", "Latency of the most recent check.", labels);
        _flapDamped = factory.CreateGauge("ipvs_checkd_realserver_flap_damped", "1 while flap damping keeps the realserver out although its checks pass (or until it recovers), else 0.", labels);
        _transitions = factory.CreateCounter("ipvs_checkd_realserver_transitions_total", "Health transitions (up to down and back).",
            new CounterConfiguration { LabelNames = MetricLabels.RealServer });
    }

    public void Write(RealServerStatus rs, string[] labels)
    {
        _up.WithLabels(labels).Set(rs.Health is HealthState.Up or HealthState.Falling ? 1 : 0);
        _health.WithLabels(labels).Set((int)rs.Health);
        _admin.WithLabels(labels).Set((int)rs.Admin.State);
        _weightConfigured.WithLabels(labels).Set(rs.Weight.Override ?? rs.Weight.Configured);
        _weightDesired.WithLabels(labels).Set(rs.Weight.Desired);
        if (rs.Weight.Kernel is { } kernel)
        {
            _weightKernel.WithLabels(labels).Set(kernel);
        }
        else
        {
            _weightKernel.RemoveLabelled(labels);
        }
        _lastChange.WithLabels(labels).Set(rs.HealthSince.ToUnixTimeMilliseconds() / 1000.0);
        if (rs.LastCheck is { } last)
        {
            _lastCheckDuration.WithLabels(labels).Set(last.LatencyMs / 1000.0);
        }
        CounterSync.SetTotal(_transitions, labels, rs.Transitions);
        _flapDamped.WithLabels(labels).Set(rs.FlapDamping is null ? 0 : 1);
    }

    public void Sweep(SeriesSet current)
    {
        var n = MetricLabels.RealServer.Length;
        current.Sweep(_up, n);
        current.Sweep(_health, n);
        current.Sweep(_admin, n);
        current.Sweep(_weightConfigured, n);
        current.Sweep(_weightDesired, n);
        current.Sweep(_weightKernel, n);
        current.Sweep(_lastChange, n);
        current.Sweep(_lastCheckDuration, n);
        current.Sweep(_transitions, n);
        current.Sweep(_flapDamped, n);
    }
}
