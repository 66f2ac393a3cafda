namespace Ipvs.Daemon.Web.Status;

/// <summary>Process-wide figures of the engine and the reconciler.</summary>
/// <param name="Kernel">"netlink" (the real kernel table) or "in-memory" (the simulated table).</param>
/// <param name="EngineLagMs">How late due checks start, as the engine measures it.</param>
/// <param name="EngineLagMaxMs">The largest start lag since the daemon started.</param>
/// <param name="ResultsDistrusted">Failing results not counted against realservers because the engine itself was late.</param>
/// <param name="DistrustedByKind">Of those, per kind of failure (only kinds the checker's lateness may cause: "timeout", "deadline_cut_short", "unclassified").</param>
/// <param name="TrustedWhileLaggingByKind">Failing results counted although the engine was late, per kind ("refused", "wrong_answer", ...): its lateness cannot cause them.</param>
/// <param name="DistrustedRechecks">Re-checks of a streak of distrusted failures, run once the engine was on time again.</param>
/// <param name="MassFailureHolds">Mass-failure holds started since the daemon started.</param>
/// <param name="StateSaveFailures">Saves of the admin state file that failed since the start.</param>
/// <param name="StateSaveOk">False while the latest save failed: the file on disk is older than the admin state in force.</param>
public sealed record DaemonStatus(
    string Version,
    DateTimeOffset StartedAt,
    string Kernel,
    int ChecksInFlight,
    double ChecksPerSecond,
    double EngineLagMs,
    long ChecksTotal,
    long NetlinkEdits,
    long NetlinkErrors,
    long ReconcilePasses,
    long DriftFound,
    long StateSaveFailures,
    bool StateSaveOk,
    double EngineLagMaxMs,
    long ResultsDistrusted,
    IReadOnlyDictionary<string, long>? DistrustedByKind = null,
    IReadOnlyDictionary<string, long>? TrustedWhileLaggingByKind = null,
    long DistrustedRechecks = 0,
    long MassFailureHolds = 0)
{
    /// <summary>The probe loops, each with the targets pinned to it, its load and its lag.</summary>
    public IReadOnlyList<ProbeLoopInfo> ProbeLoops { get; init; } = [];
}
