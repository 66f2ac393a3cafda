namespace Ipvs.Daemon.Web.Status;

/// <summary>Process-wide figures of the engine and the reconciler.</summary>
/// <param name="Kernel">"netlink" (the real kernel table) or "in-memory" (the simulated table).</param>
/// <param name="EngineLagMs">How late due checks start, as the engine measures it.</param>
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
    long DriftFound);
