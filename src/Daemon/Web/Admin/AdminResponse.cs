namespace Ipvs.Daemon.Web.Admin;

/// <summary>Body of every admin endpoint's answer.</summary>
public sealed record AdminResponse(bool Ok, int Affected, string? Error);
