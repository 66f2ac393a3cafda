using Ipvs.Checks;
using Ipvs.Engine;
using Microsoft.Extensions.DependencyInjection;

namespace Ipvs.Daemon.Hosting;

/// <summary>
/// The engine's check factory, looked up in the container at the first probe rather than when the engine is built:
/// the web side's metered factory depends (through its metrics and status source) on the engine itself, so it can
/// exist only after the engine does. Probes are first created when the engine starts, long after both are built.
/// </summary>
internal sealed class DeferredCheckFactory(IServiceProvider services) : IHealthCheckFactory
{
    private IHealthCheckFactory? _inner;

    public IHealthCheck Create(CheckSpec spec, CheckTarget target)
    {
        var inner = _inner ??= services.GetService<IHealthCheckFactory>() ?? HealthCheckFactory.Instance;
        return inner.Create(spec, target);
    }
}
