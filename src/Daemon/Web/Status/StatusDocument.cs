namespace Ipvs.Daemon.Web.Status;

/// <summary>The whole answer of <c>GET /api/v1/status</c>: the engine's state at one instant.</summary>
public sealed record StatusDocument(
    DateTimeOffset GeneratedAt,
    DaemonStatus Daemon,
    IReadOnlyList<VirtualServiceStatus> VirtualServices,
    IReadOnlyList<TransitionEntry> RecentTransitions);
