using System.Text.Json.Serialization;

namespace Ipvs.Daemon.Web.Status;

/// <summary>The operator's say over a realserver, separate from its health.</summary>
public enum AdminState
{
    /// <summary>Health decides the weight.</summary>
    [JsonStringEnumMemberName("ready")] Ready,
    /// <summary>Weight 0: sessions finish, new ones go elsewhere; checks never undo it.</summary>
    [JsonStringEnumMemberName("drain")] Drain,
    /// <summary>Out of the table; checks keep running and are reported.</summary>
    [JsonStringEnumMemberName("maintenance")] Maintenance,
}
