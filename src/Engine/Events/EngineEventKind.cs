namespace Ipvs.Engine;

public enum EngineEventKind
{
    /// <summary>A realserver's health changed (up/down; From/To are health states).</summary>
    HealthChanged,
    /// <summary>An operator (or adopted drift) changed admin state or weight override.</summary>
    AdminChanged,
    /// <summary>A realserver's desired weight changed (slow start steps included).</summary>
    WeightChanged,
    QuorumLost,
    QuorumRestored,
    SorryServerOn,
    SorryServerOff,
    /// <summary>A change would take more than the allowed share of a service out at once: held.</summary>
    MassFailureHeld,
    MassFailureReleased,
    /// <summary>The kernel table differs from what the engine last wrote; What says ignored/reverted/adopted.</summary>
    DriftDetected,
    /// <summary>A kernel edit failed for a reason other than "changed under us".</summary>
    KernelEditFailed,
    /// <summary>Due checks start later than the lag guard; timeouts are not trusted until it recovers (other failures are).</summary>
    LagGuardEntered,
    LagGuardLeft,
    /// <summary>A flapping realserver recovered but is kept out until it stays up for the damping hold.</summary>
    FlapDampingStarted,
    /// <summary>A damped realserver stayed up for the hold (or damping was removed): it is back in.</summary>
    FlapDampingEnded,
    /// <summary>Readiness gate passed and first pass done: kernel changes are being made.</summary>
    Ready,
}
