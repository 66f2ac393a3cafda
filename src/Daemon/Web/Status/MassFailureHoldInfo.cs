namespace Ipvs.Daemon.Web.Status;

/// <summary>
/// A mass-failure hold in force: more of the service failed at once than <c>mass_failure_share</c> allows, so the
/// failed realservers are kept at their weight until they recover or an operator releases the hold.
/// </summary>
/// <param name="Since">When the hold started.</param>
/// <param name="Why">The guard's words: how many fail, of how many, and how many may go.</param>
/// <param name="HeldRealservers">Realservers kept in although their checks say down.</param>
public sealed record MassFailureHoldInfo(DateTimeOffset? Since, string Why, int HeldRealservers);
