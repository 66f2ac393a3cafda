using Ipvs.Checks;

namespace Ipvs.Engine;

/// <summary>
/// Creates the probe for one (check spec, probed target) on the probe loop the engine pinned the target to. The
/// engine calls it once per unique check and disposes the probe when the check leaves the topology. Tests inject
/// scripted probes here to run in virtual time.
/// </summary>
public interface IHealthCheckFactory
{
    IHealthCheck Create(CheckSpec spec, CheckTarget target, ProbeLoop loop);
}
