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
    public int LiveRealservers => LiveOfWhole ?? CountLive(Realservers);

    /// <summary>Realservers of the service, also when <see cref="Realservers"/> was filtered (<c>?problems=1</c>).</summary>
    public int RealserverCount => CountOfWhole ?? Realservers.Count;

    private int? LiveOfWhole { get; init; }

    private int? CountOfWhole { get; init; }

    /// <summary>This service showing only <paramref name="rows"/>, with the counts of all its realservers.</summary>
    internal VirtualServiceStatus WithOnly(IReadOnlyList<RealServerStatus> rows) =>
        this with { Realservers = rows, LiveOfWhole = LiveRealservers, CountOfWhole = RealserverCount };

    private static int CountLive(IReadOnlyList<RealServerStatus> realservers)
    {
        var n = 0;
        foreach (var rs in realservers)
        {
            if (rs.Admin.State == AdminState.Ready && rs.Health is HealthState.Up or HealthState.Falling)
            {
                n++;
            }
        }
        return n;
    }
}
