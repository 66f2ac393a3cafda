using System.Text.Json.Serialization;

namespace Ipvs.Daemon.Web.Status;

/// <summary>A realserver's health as the status API and the page show it.</summary>
public enum HealthState
{
    /// <summary>No decision yet (just started or just added by a reload).</summary>
    [JsonStringEnumMemberName("unknown")] Unknown,
    [JsonStringEnumMemberName("up")] Up,
    /// <summary>Up, but failing checks are counting towards <c>fall</c>.</summary>
    [JsonStringEnumMemberName("falling")] Falling,
    [JsonStringEnumMemberName("down")] Down,
    /// <summary>Down, but passing checks are counting towards <c>rise</c>.</summary>
    [JsonStringEnumMemberName("rising")] Rising,
}
