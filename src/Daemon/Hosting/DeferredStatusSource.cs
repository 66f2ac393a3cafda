using Ipvs.Daemon.Web.Adapters;
using Ipvs.Daemon.Web.Metrics;
using Ipvs.Daemon.Web.Status;
using Ipvs.Engine;
using Microsoft.Extensions.DependencyInjection;

namespace Ipvs.Daemon.Hosting;

/// <summary>
/// The engine's status source, built at the first capture (a scrape or a status request) rather than when the
/// container builds the metrics: the metrics need a status source, the engine status source reads the metered check
/// factory, and that factory needs the metrics. Built eagerly the three wait on each other; built late they meet
/// fully constructed.
/// </summary>
internal sealed class DeferredStatusSource(IServiceProvider services) : IStatusSource
{
    private readonly Lazy<IStatusSource> _inner = new(() => new EngineStatusSource(
        services.GetRequiredService<HealthEngine>(),
        services.GetRequiredService<TransitionCounter>(),
        services.GetRequiredService<TimeProvider>(),
        services.GetService<MeteredCheckFactory>()));

    public StatusSnapshot Capture() => _inner.Value.Capture();
}
