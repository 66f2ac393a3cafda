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
}
