namespace Ipvs.Checks;

/// <summary>
/// What to check, independent of where: an immutable record per check kind (tcp, http, expect, dns, udp, icmp,
/// exec), with value equality so that identical checks on the same target can be run once for every virtual
/// service that shares them. Scheduling (interval, rise, fall) is not part of it: that is the engine's.
/// </summary>
public abstract record CheckSpec
{
    /// <summary>The kind's name as written in the config ("tcp", "http", ...).</summary>
    public abstract string Kind { get; }

    /// <summary>
    /// The check in an operator's words, to tell apart several checks of one realserver ("http /ready",
    /// "exec check-db"): shown in the status, metrics, logs and alerts. Derived from the spec's values.
    /// </summary>
    public virtual string Label => Kind;

    /// <summary>One total deadline for the whole check, connect to verdict.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// True when a scheduler should start this kind's runs on the probe loop thread (socket I/O, non-blocking from the
    /// first syscall); false when a start may take long enough to hold the loop up (exec's posix_spawn).
    /// </summary>
    public virtual bool RunsOnLoop => true;

    /// <summary>
    /// True when one probe may serve every virtual service whose realserver has an identical check on the same target;
    /// false when a run depends on the service it checks for (exec's command sees the virtual service).
    /// </summary>
    public virtual bool SharedAcrossServices => true;

    /// <summary>Creates the probe for one target, its I/O on <paramref name="loop"/>; the caller owns (and disposes) it.</summary>
    public abstract IHealthCheck Create(CheckTarget target, ProbeLoop loop);

    /// <summary>Creates the probe for one target on the standalone loop (one-off checks and tools).</summary>
    public IHealthCheck Create(CheckTarget target) => Create(target, ProbeLoop.Standalone);
}
