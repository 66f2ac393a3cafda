using System.Globalization;
using Ipvs.Daemon.Web.Status;
using Prometheus;

namespace Ipvs.Daemon.Web.Metrics;

/// <summary>Per probe loop series, labelled <c>loop</c> (a fixed, small set: one per loop, set at start).</summary>
internal sealed class LoopSeries
{
    private static readonly string[] Labels = ["loop"];

    private readonly Gauge _load;
    private readonly Gauge _lag;
    private readonly Gauge _lagMax;
    private readonly Gauge _targets;
    private readonly Counter _busy;

    public LoopSeries(IMetricFactory factory)
    {
        _load = factory.CreateGauge("ipvs_checkd_probe_loop_load", "Share of the last ~10 s a probe loop spent working rather than waiting (0..1).", Labels);
        _lag = factory.CreateGauge("ipvs_checkd_probe_loop_lag_seconds", "How late a probe loop's last pass got to work that was due (posted check starts, a planned wake-up).", Labels);
        _lagMax = factory.CreateGauge("ipvs_checkd_probe_loop_lag_max_seconds", "The largest delay of a probe loop getting to due work in the last 10-20 s.", Labels);
        _targets = factory.CreateGauge("ipvs_checkd_probe_loop_targets", "Probed address:port pairs pinned to a probe loop.", Labels);
        _busy = factory.CreateCounter("ipvs_checkd_probe_loop_busy_seconds_total", "Time a probe loop spent working (rate() of it is the loop's load).", new CounterConfiguration { LabelNames = Labels });
    }

    public void Write(IReadOnlyList<ProbeLoopInfo> loops)
    {
        foreach (var l in loops)
        {
            var label = l.Loop.ToString(CultureInfo.InvariantCulture);
            _load.WithLabels(label).Set(l.Load);
            _lag.WithLabels(label).Set(l.LagMs / 1000.0);
            _lagMax.WithLabels(label).Set(l.LagMaxMs / 1000.0);
            _targets.WithLabels(label).Set(l.Targets);
            CounterSync.SetTotal(_busy, [label], l.BusySeconds);
        }
    }
}
