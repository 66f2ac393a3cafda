namespace Ipvs.Daemon.Web.Status;

/// <summary>One realserver of one virtual service.</summary>
/// <param name="HealthSince">When <see cref="Health"/> last changed.</param>
/// <param name="Transitions">Health transitions since the daemon started (or the realserver was added).</param>
/// <param name="ChecksPassed">Checks that passed, since the realserver was added.</param>
/// <param name="Checks">Every check of the realserver, in config order (it is up only when all are).</param>
/// <param name="FlapDamping">Set while flap damping keeps the realserver out; null otherwise.</param>
public sealed record RealServerStatus(
    string Address,
    int Port,
    HealthState Health,
    DateTimeOffset HealthSince,
    WeightInfo Weight,
    AdminInfo Admin,
    LastCheck? LastCheck,
    long Transitions,
    long ChecksPassed,
    long ChecksFailed,
    long ChecksErrored,
    FlapDampingInfo? FlapDamping = null,
    IReadOnlyList<CheckInfo>? Checks = null);
