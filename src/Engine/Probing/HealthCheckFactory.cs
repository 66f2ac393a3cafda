using Ipvs.Checks;

namespace Ipvs.Engine;

/// <summary>The production factory: each check kind builds its own probe, on the loop it is given.</summary>
public sealed class HealthCheckFactory : IHealthCheckFactory
{
    public static HealthCheckFactory Instance { get; } = new();

    public IHealthCheck Create(CheckSpec spec, CheckTarget target, ProbeLoop loop) => spec.Create(target, loop);
}
