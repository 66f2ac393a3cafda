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

    /// <summary>Creates the probe for one target; the caller owns (and disposes) it.</summary>
    public abstract IHealthCheck Create(CheckTarget target);
}
