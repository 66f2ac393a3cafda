namespace Ipvs.Daemon.Config;

/// <summary>The keys a check mapping may hold: those of every kind, and each kind's own. Defined once, here.</summary>
internal static class CheckKeys
{
    /// <summary>Keys that mean the same for every kind, so they are inherited across a change of type.</summary>
    public static readonly HashSet<string> Common = new(StringComparer.Ordinal)
    {
        "type", "interval", "timeout", "rise", "fall", "fast_interval", "down_interval", "jitter",
        "address", "port", "source_address", "fwmark",
    };

    private static readonly string[] Tls = ["sni", "verify", "verify_name", "client_cert", "client_key", "tls_resume"];

    public static readonly IReadOnlyDictionary<string, HashSet<string>> ByKind = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal)
    {
        ["tcp"] = [],
        ["http"] = ["path", "method", "host", "headers", "expect_status", "body", "body_regex", "digest", "max_body", "http_version"],
        ["https"] = ["path", "method", "host", "headers", "expect_status", "body", "body_regex", "digest", "max_body", "http_version", .. Tls],
        ["expect"] = ["steps", "tls", "max_read", .. Tls],
        ["smtp"] = ["helo", "tls", .. Tls],
        ["dns"] = ["name", "query_type", "tcp", "expect"],
        ["udp"] = ["payload", "payload_hex", "expect", "expect_hex", "expect_regex", "no_icmp_unreachable"],
        ["icmp"] = ["payload_size"],
        ["exec"] = ["command", "args", "user", "dynamic_weight", "max_output"],
        ["agent"] = ["send", "down_when_unreachable"],
    };

    /// <summary>Kinds that speak TCP to the target; on a UDP or SCTP service they cannot reach it by its service port.</summary>
    public static readonly HashSet<string> TcpKinds = new(StringComparer.Ordinal) { "tcp", "http", "https", "expect", "smtp", "agent" };
}
