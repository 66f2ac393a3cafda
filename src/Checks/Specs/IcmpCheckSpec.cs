namespace Ipvs.Checks;

/// <summary>
/// icmp: one echo request, pass on the matching echo reply. Uses the unprivileged ICMP datagram socket
/// (net.ipv4.ping_group_range) and falls back to a raw socket. The target's port is ignored.
/// </summary>
public sealed record IcmpCheckSpec : CheckSpec
{
    public override string Kind => "icmp";

    /// <summary>Echo payload size in bytes.</summary>
    public int PayloadSize { get; init; } = 56;

    public override IHealthCheck Create(CheckTarget target, ProbeLoop loop) => new Probes.IcmpCheck(this, target, loop.Epoll, null);
}
