using Ipvs.Daemon.Web.Status;

namespace Ipvs.Daemon.Web.Metrics.Exposition;

/// <summary>
/// Per-check families of a realserver entry (labels: the realserver's and <c>check</c>, the check's name): with
/// several checks per realserver, which one fails.
/// </summary>
internal static class CheckFamilies
{
    public static IReadOnlyList<SnapshotFamily<CheckRow>> All { get; } =
    [
        new("ipvs_checkd_check_up", "gauge", "1 when this check of the realserver is up (or up and falling), else 0.",
            c => c.Check.Health is HealthState.Up or HealthState.Falling ? 1 : 0),
        new("ipvs_checkd_check_last_result", "gauge", "How this check's last run ended: 0 none yet, 1 pass, 2 fail, 3 error.", c => (int)c.Check.Result),
    ];
}
