using System.Text.Json.Serialization;

namespace Ipvs.Daemon.Web.Status;

/// <summary>How the last check of a realserver ended.</summary>
public enum CheckOutcome
{
    [JsonStringEnumMemberName("none")] None,
    [JsonStringEnumMemberName("pass")] Pass,
    /// <summary>The server failed the check (refused, timed out, wrong answer).</summary>
    [JsonStringEnumMemberName("fail")] Fail,
    /// <summary>The check could not run (no file descriptors, bad bind address): not the server's fault.</summary>
    [JsonStringEnumMemberName("error")] Error,
}
