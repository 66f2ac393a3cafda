namespace Ipvs.Daemon.Web.Status;

/// <summary>The whole answer of <c>GET /api/v1/status</c>: the engine's state at one instant.</summary>
/// <param name="VirtualServices">The services and realservers the request's filters kept.</param>
/// <param name="Summary">Counts over the whole table, whatever the filters.</param>
public sealed record StatusDocument(
    DateTimeOffset GeneratedAt,
    DaemonStatus Daemon,
    IReadOnlyList<VirtualServiceStatus> VirtualServices,
    IReadOnlyList<TransitionEntry> RecentTransitions,
    StatusSummary? Summary = null);
