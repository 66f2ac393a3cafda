using System.Net;

namespace Ipvs.Daemon.Alerts;

/// <summary>A realserver of one virtual service went up or down (what the alert policy consumes).</summary>
public sealed record HealthTransition(DateTimeOffset At, string VirtualService, IPEndPoint Realserver, bool Up, string? Reason);
