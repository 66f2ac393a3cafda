namespace Ipvs.Engine;

/// <summary>An immutable picture of the whole engine at one moment, for the API, the dashboard and metrics.</summary>
/// <param name="Ready">The readiness gate has passed and the first reconcile pass has completed.</param>
/// <param name="Lagging">Due checks start later than the lag guard: failing results are not trusted.</param>
public sealed record EngineSnapshot(
    DateTimeOffset TakenAt,
    DateTimeOffset StartedAt,
    bool Running,
    bool Ready,
    bool Lagging,
    TimeSpan Lag,
    string Table,
    DateTimeOffset? LastDump,
    IReadOnlyList<VirtualServiceStatus> VirtualServices)
{
    public static EngineSnapshot Empty(DateTimeOffset now, string table) =>
        new(now, now, false, false, false, TimeSpan.Zero, table, null, []);
}
