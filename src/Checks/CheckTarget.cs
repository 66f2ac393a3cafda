using System.Net;

namespace Ipvs.Checks;

/// <summary>
/// Where a check goes. <see cref="EndPoint"/> is the address actually probed: the realserver's, or the override
/// of the check (LVS-DR/TUN: the RIP or a proxy port, since the director cannot reach the VIP on a realserver).
/// <see cref="RealServer"/> and <see cref="VirtualService"/> are context for exec checks (arguments/environment).
/// </summary>
public sealed record CheckTarget(
    IPEndPoint EndPoint,
    IPEndPoint? RealServer = null,
    string? VirtualService = null,
    IPAddress? SourceAddress = null,
    uint FirewallMark = 0);
