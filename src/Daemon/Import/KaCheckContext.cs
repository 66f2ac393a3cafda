using System.Net;

namespace Ipvs.Daemon.Import;

/// <summary>What a keepalived checker needs to know of where it sits: its realserver, the service's protocol, the SSL block.</summary>
internal sealed record KaCheckContext(
    IPAddress RealServerAddress,
    int RealServerPort,
    string Protocol,
    bool FirewallMark,
    KaScope RealServerScope,
    SourceLine Where,
    List<string> Notes,
    KaNode? Ssl);
