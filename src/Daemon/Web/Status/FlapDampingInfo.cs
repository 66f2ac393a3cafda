namespace Ipvs.Daemon.Web.Status;

/// <summary>A flap-damping hold in force: the realserver stays out until it has been up until <paramref name="Until"/> (null: it is down now; the hold restarts when it recovers).</summary>
public sealed record FlapDampingInfo(DateTimeOffset? Until);
