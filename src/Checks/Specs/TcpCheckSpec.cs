namespace Ipvs.Checks;

/// <summary>tcp: the check passes when a TCP connection to the target is established within the deadline.</summary>
public sealed record TcpCheckSpec : CheckSpec
{
    public override string Kind => "tcp";

    public override IHealthCheck Create(CheckTarget target, ProbeLoop loop) => new Probes.TcpCheck(this, target, loop.Epoll);
}
