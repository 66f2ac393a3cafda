namespace Ipvs.Checks;

/// <summary>
/// dns: one query over UDP (or TCP). The reply must carry the query's id and question and rcode NOERROR with at
/// least one answer; with <see cref="ExpectedAnswer"/> one answer must equal it (an address for A/AAAA, a name for
/// NS/CNAME/MX/SOA's primary server, the text for TXT).
/// </summary>
public sealed record DnsCheckSpec : CheckSpec
{
    public override string Kind => "dns";

    public string QueryName { get; init; } = ".";

    public DnsQueryType QueryType { get; init; } = DnsQueryType.SOA;

    public bool Tcp { get; init; }

    public string? ExpectedAnswer { get; init; }

    public override IHealthCheck Create(CheckTarget target, ProbeLoop loop) => new Probes.DnsCheck(this, target, loop.Epoll);
}

/// <summary>DNS record types a check may ask for (values are the wire codes).</summary>
public enum DnsQueryType : ushort
{
    A = 1,
    NS = 2,
    CNAME = 5,
    SOA = 6,
    MX = 15,
    TXT = 16,
    AAAA = 28,
}
