namespace Ipvs.Bench.Farm;

/// <summary>How a simulated realserver behaves; changeable while it runs.</summary>
public enum FarmBehaviour
{
    /// <summary>Answers correctly.</summary>
    Up,
    /// <summary>Not listening: connects are refused (RST); DNS gets ICMP port unreachable.</summary>
    Refuse,
    /// <summary>Listening with a full accept queue: SYNs are dropped, connects time out; DNS queries are dropped.</summary>
    Blackhole,
    /// <summary>Accepts and never answers.</summary>
    Hang,
    /// <summary>Answers after <see cref="FarmServer.SlowDelay"/>.</summary>
    Slow,
    /// <summary>HTTP 503 (DNS: SERVFAIL; SMTP: 554 banner).</summary>
    WrongStatus,
    /// <summary>Alternates Up and Refuse every <see cref="FarmServer.FlapPeriod"/>.</summary>
    Flapping,
}
