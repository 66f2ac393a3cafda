using System.Text.Json.Serialization;

namespace Ipvs.Daemon.Alerts;

public enum AlertKind
{
    /// <summary>A host has realservers down (held for the hold time).</summary>
    [JsonStringEnumMemberName("down")] Down,
    /// <summary>The same host is still down (resend interval).</summary>
    [JsonStringEnumMemberName("still_down")] StillDown,
    /// <summary>Every realserver of the host is back up (held for the hold time).</summary>
    [JsonStringEnumMemberName("recovered")] Recovered,
    /// <summary>
    /// A virtual service's mass-failure guard started a hold: more realservers failed at once than it may take out, so
    /// they stay in until they recover or an operator releases it. Sent at once, once per hold; no host (empty).
    /// </summary>
    [JsonStringEnumMemberName("mass_failure_held")] MassFailureHeld,
}
