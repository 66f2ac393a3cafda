namespace Ipvs.Daemon.Web.Status;

/// <summary>The most recent check result of a realserver.</summary>
/// <param name="Reason">Operator-worded reason ("connection refused", "status 503"); null on a pass.</param>
/// <param name="Check">Which check (its name, as in <see cref="CheckInfo.Name"/>): with several, the failing one.</param>
public sealed record LastCheck(CheckOutcome Result, string? Reason, double LatencyMs, DateTimeOffset At, string? Check = null);
