namespace Ipvs.Checks;

/// <summary>
/// udp: send <see cref="Payload"/> and pass on a reply matching <see cref="ExpectReply"/> (any reply when null), or,
/// with <see cref="PassOnNoIcmpUnreachable"/>, pass when no ICMP port-unreachable came back within the deadline.
/// </summary>
public sealed record UdpCheckSpec : CheckSpec
{
    public override string Kind => "udp";

    public DataFormat PayloadFormat { get; init; } = DataFormat.Text;

    public string Payload { get; init; } = "";

    public DataFormat ExpectFormat { get; init; } = DataFormat.Text;

    public string? ExpectReply { get; init; }

    public bool PassOnNoIcmpUnreachable { get; init; }

    public override IHealthCheck Create(CheckTarget target, ProbeLoop loop) => new Probes.UdpCheck(this, target, loop.Epoll);
}
