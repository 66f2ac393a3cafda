using System.Net;

namespace Ipvs.Daemon.Import;

/// <summary>One IPVS service a keepalived virtual_server stands for: an address and port, or a firewall mark.</summary>
internal sealed record KaMember(IPAddress? Address, int Port, long? Fwmark, string? Family, string? Group);
