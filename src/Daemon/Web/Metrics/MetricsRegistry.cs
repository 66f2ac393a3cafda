using Prometheus;

namespace Ipvs.Daemon.Web.Metrics;

/// <summary>
/// The daemon's own Prometheus registry (nothing from the process-wide default registry), with no dependencies, so
/// that the probe factory the engine is built with can create series before the engine and its status exist.
/// </summary>
public sealed class MetricsRegistry
{
    public MetricsRegistry()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        Factory = Prometheus.Metrics.WithCustomRegistry(Registry);
    }

    public CollectorRegistry Registry { get; }

    public IMetricFactory Factory { get; }
}
