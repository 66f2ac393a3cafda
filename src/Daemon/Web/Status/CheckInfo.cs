namespace Ipvs.Daemon.Web.Status;

/// <summary>One check of a realserver: its own health (rise/fall) and its last result.</summary>
/// <param name="Name">The check in an operator's words ("http /ready", "exec check-db"): what transitions and alerts name.</param>
/// <param name="Target">Where the probe goes (ADDRESS:PORT).</param>
/// <param name="Result">How its last run ended; <c>none</c> before the first.</param>
public sealed record CheckInfo(
    string Name,
    string Kind,
    string Target,
    HealthState Health,
    CheckOutcome Result,
    string? Reason,
    double? LatencyMs,
    DateTimeOffset? At);
