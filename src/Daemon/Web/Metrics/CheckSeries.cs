using Ipvs.Daemon.Web.Status;
using Prometheus;

namespace Ipvs.Daemon.Web.Metrics;

/// <summary>
/// Per-check series of a realserver (labels: <see cref="MetricLabels.RealServer"/> and <c>check</c>, the check's
/// name): with several checks per realserver, which one fails.
/// </summary>
internal sealed class CheckSeries
{
    private static readonly string[] Labels = [.. MetricLabels.RealServer, "check"];
    private readonly SeriesSet _seen = new();
    private readonly Gauge _up;
    private readonly Gauge _lastResult;

    public CheckSeries(IMetricFactory factory)
    {
        var config = new GaugeConfiguration { LabelNames = Labels };
        _up = factory.CreateGauge("ipvs_checkd_check_up", "1 when this check of the realserver is up (or up and falling), else 0.", config);
        _lastResult = factory.CreateGauge("ipvs_checkd_check_last_result", "How this check's last run ended: 0 none yet, 1 pass, 2 fail, 3 error.", config);
    }

    public void Clear() => _seen.Clear();

    public void Write(RealServerStatus rs, string[] rsLabels)
    {
        if (rs.Checks is null)
        {
            return;
        }
        foreach (var check in rs.Checks)
        {
            string[] labels = [.. rsLabels, check.Name];
            _seen.Mark(labels);
            _up.WithLabels(labels).Set(check.Health is HealthState.Up or HealthState.Falling ? 1 : 0);
            _lastResult.WithLabels(labels).Set((int)check.Result);
        }
    }

    public void Sweep()
    {
        _seen.Sweep(_up, Labels.Length);
        _seen.Sweep(_lastResult, Labels.Length);
    }
}
