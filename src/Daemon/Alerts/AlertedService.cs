namespace Ipvs.Daemon.Alerts;

/// <summary>One realserver entry of an alerted host: which virtual service, which port, why, since when.</summary>
/// <param name="Up">True when this one is up again at the time of the alert.</param>
public sealed record AlertedService(string VirtualService, string Realserver, bool Up, string? Reason, DateTimeOffset Since);
