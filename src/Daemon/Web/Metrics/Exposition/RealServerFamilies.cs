using Ipvs.Daemon.Web.Status;

namespace Ipvs.Daemon.Web.Metrics.Exposition;

/// <summary>
/// The per-realserver families. <see cref="Default"/>: what alerts and dashboards need (docs/metrics.md counts
/// them per realserver); <see cref="WithDetails"/> adds what the status API has anyway (config key
/// <c>metrics.realserver_details</c>). A new family is one line here and one row in docs/metrics.md.
/// </summary>
internal static class RealServerFamilies
{
    private const string Gauge = "gauge";
    private const string Counter = "counter";

    public static IReadOnlyList<SnapshotFamily<RealServerRow>> Default { get; } =
    [
        new("ipvs_checkd_realserver_up", Gauge, "1 when the realserver's health is up (or up and falling), else 0.",
            r => r.Server.Health is HealthState.Up or HealthState.Falling ? 1 : 0),
        new("ipvs_checkd_realserver_health", Gauge,
            "Health state: 0 unknown, 1 up, 2 falling (up, failing checks), 3 down, 4 rising (down, passing checks).", r => (int)r.Server.Health),
        new("ipvs_checkd_realserver_admin_state", Gauge, "Admin state: 0 ready, 1 drain, 2 maintenance.", r => (int)r.Server.Admin.State),
        new("ipvs_checkd_realserver_weight_desired", Gauge, "Weight the engine wants in the kernel.", r => r.Server.Weight.Desired),
        new("ipvs_checkd_realserver_weight_kernel", Gauge,
            "Weight in the kernel table at the last read; absent when the destination is not in the kernel.", r => r.Server.Weight.Kernel),
        new("ipvs_checkd_realserver_flap_damped", Gauge,
            "1 while flap damping keeps the realserver out although its checks pass (or until it recovers), else 0.",
            r => r.Server.FlapDamping is null ? 0 : 1),
        new("ipvs_checkd_realserver_transitions_total", Counter, "Health transitions (up to down and back).", r => r.Server.Transitions),
    ];

    public static IReadOnlyList<SnapshotFamily<RealServerRow>> WithDetails { get; } =
    [
        .. Default,
        new("ipvs_checkd_realserver_weight_configured", Gauge, "Weight from the config (or the operator's override).",
            r => r.Server.Weight.Override ?? r.Server.Weight.Configured),
        new("ipvs_checkd_realserver_last_change_timestamp_seconds", Gauge, "Unix time of the last health change.",
            r => r.Server.HealthSince.ToUnixTimeMilliseconds() / 1000.0),
        new("ipvs_checkd_realserver_last_check_duration_seconds", Gauge, "Latency of the most recent check.",
            r => r.Server.LastCheck is { } last ? last.LatencyMs / 1000.0 : null),
    ];
}
