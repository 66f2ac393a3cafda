namespace Ipvs.Daemon.Web.Status;

/// <summary>One virtual service and its realservers.</summary>
/// <param name="Key">Operator spelling as ipvsadm prints it: "TCP 10.0.0.1:80", "FWM 12".</param>
/// <param name="Protocol">"tcp", "udp" or "sctp".</param>
/// <param name="Address">Virtual address; empty for a firewall-mark service.</param>
/// <param name="Fwmark">Firewall mark; 0 for an address service.</param>
/// <param name="QuorumUp">False when the live weight is below the quorum (the sorry server, if any, takes over).</param>
/// <param name="MassFailureHold">The mass-failure hold in force, or null (docs/failure-modes.md).</param>
public sealed record VirtualServiceStatus(
    string Name,
    string Key,
    string Protocol,
    string Address,
    int Port,
    uint Fwmark,
    string Scheduler,
    int Quorum,
    bool QuorumUp,
    bool SorryServerActive,
    KernelCounters? Kernel,
    IReadOnlyList<RealServerStatus> Realservers,
    MassFailureHoldInfo? MassFailureHold = null)
{
    /// <summary>Realservers whose health is up or falling (still serving) and whose admin state is ready.</summary>
    public int LiveRealservers
    {
        get
        {
            var n = 0;
            foreach (var rs in Realservers)
            {
                if (rs.Admin.State == AdminState.Ready && rs.Health is HealthState.Up or HealthState.Falling)
                {
                    n++;
                }
            }
            return n;
        }
    }
}
