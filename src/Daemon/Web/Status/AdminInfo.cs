namespace Ipvs.Daemon.Web.Status;

/// <summary>Admin state of a realserver, who set it and when (null for the initial "ready").</summary>
public sealed record AdminInfo(AdminState State, string? SetBy, DateTimeOffset? SetAt);
