namespace Ipvs.Daemon.Web.Admin;

/// <summary>Body of every admin endpoint's answer.</summary>
/// <param name="Persisted">False when a change is in force but could not be saved (503): it is lost at the next restart.</param>
public sealed record AdminResponse(bool Ok, int Affected, string? Error, bool Persisted = true);
