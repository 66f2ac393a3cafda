namespace Ipvs.Bench.Farm;

/// <summary>What a simulated realserver speaks.</summary>
public enum FarmProtocol
{
    /// <summary>Accepts and closes at once.</summary>
    Tcp,
    /// <summary>HTTP/1.1: one response per connection ("ok", status from the behaviour; 503 for a path under /fail), then close.</summary>
    Http,
    /// <summary>HTTP over TLS with a self-signed certificate made at start.</summary>
    Https,
    /// <summary>SMTP: 220 banner, 250 to EHLO/HELO, 221 to QUIT.</summary>
    Smtp,
    /// <summary>DNS over UDP and TCP on the same port: every question gets one A record 127.0.0.1.</summary>
    Dns,
    /// <summary>
    /// An HAProxy-style agent (the agent check): one line per connection, then close. Up: "up ready 100%";
    /// WrongStatus: "down #farm says down"; Slow, Hang, Refuse, Blackhole, Flapping as for the other protocols.
    /// </summary>
    Agent,
}
