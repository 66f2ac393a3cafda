using Ipvs.Netlink;

namespace Ipvs.Engine;

/// <summary>One virtual service with its realservers.</summary>
/// <param name="LiveWeight">Sum of the weights of realservers that are up and ready (what quorum compares).</param>
/// <param name="MassFailureHeld">The mass-failure guard is holding failed realservers in (an operator may release it).</param>
/// <param name="MassFailureHeldSince">When the hold in force started; null when none is.</param>
/// <param name="MassFailureHeldWhy">Why it holds ("7 realservers failing at once (+3 recently) of 10; at most 3 may go"); null when none is.</param>
/// <param name="Kernel">The service as last dumped from the kernel (with stats, without its destination list: each realserver row has its own); null if absent.</param>
public sealed record VirtualServiceStatus(
    string Name,
    ServiceKey Key,
    bool InKernel,
    QuorumState Quorum,
    int LiveWeight,
    int QuorumWeight,
    bool SorryServerActive,
    bool MassFailureHeld,
    IReadOnlyList<RealServerStatus> RealServers,
    ServiceEntry? Kernel,
    DateTimeOffset? MassFailureHeldSince = null,
    string? MassFailureHeldWhy = null);
