using System.Net;
using Ipvs.Checks;
using Ipvs.Netlink;

namespace Ipvs.Engine;

/// <summary>What happens to a realserver's kernel entry when its health goes down.</summary>
public enum OnFailure
{
    /// <summary>Keep the destination with weight 0: existing sessions finish, no new ones.</summary>
    Quiesce,
    /// <summary>Delete the destination from the kernel table.</summary>
    Remove,
}

/// <summary>What the reconciler does with a change made behind its back (e.g. with ipvsadm).</summary>
public enum DriftPolicy
{
    Ignore,
    Revert,
    Adopt,
}

/// <summary>When and how often a check runs, and how many results flip a realserver's state.</summary>
public sealed record CheckSchedule(
    TimeSpan Interval,
    int Rise = 2,
    int Fall = 2,
    TimeSpan? FastInterval = null,
    TimeSpan? DownInterval = null,
    TimeSpan Jitter = default);

/// <summary>One check of one realserver: the probe spec, where it goes, and its schedule.</summary>
public sealed record RealServerCheck(CheckSpec Spec, CheckTarget Target, CheckSchedule Schedule);

/// <summary>A realserver of a virtual service as the config declares it.</summary>
public sealed record RealServerSpec(
    IPEndPoint Address,
    int Weight,
    ForwardMethod Forward,
    IReadOnlyList<RealServerCheck> Checks,
    OnFailure OnFailure = OnFailure.Quiesce,
    TimeSpan SlowStart = default,
    uint UpperThreshold = 0,
    uint LowerThreshold = 0,
    FlapDamping? FlapDamping = null);

/// <summary>A virtual service as the config declares it.</summary>
/// <param name="Quorum">Minimum sum of live weights; below it the sorry server takes over. 0 disables.</param>
/// <param name="QuorumHysteresis">Weight units above/below the quorum before the state flips (keepalived's hysteresis).</param>
/// <param name="MassFailureShare">Largest share (0..1] of realservers one pass may take out before it is held and alerted; null disables.</param>
public sealed record VirtualServiceSpec(
    string Name,
    ServiceConfig Service,
    IReadOnlyList<RealServerSpec> RealServers,
    int Quorum = 0,
    int QuorumHysteresis = 0,
    DestinationConfig? SorryServer = null,
    double? MassFailureShare = null);

/// <summary>Process-wide engine settings.</summary>
public sealed record EngineOptions
{
    public TimeSpan ReconcileInterval { get; init; } = TimeSpan.FromSeconds(5);
    public DriftPolicy Drift { get; init; } = DriftPolicy.Revert;
    /// <summary>Remove owned services from the kernel on clean stop (on_exit: remove) or keep them.</summary>
    public bool RemoveOnExit { get; init; }
    public int MaxInFlight { get; init; } = 4096;
    public int MaxInFlightPerHost { get; init; } = 64;
    /// <summary>No kernel change before this much time after start (readiness gate).</summary>
    public TimeSpan ReadinessGate { get; init; } = TimeSpan.Zero;
    /// <summary>Engine lag beyond which failing results are not trusted to mark servers down.</summary>
    public TimeSpan LagGuard { get; init; } = TimeSpan.FromMilliseconds(500);
}

/// <summary>The whole desired configuration, as handed to the engine at start and on every reload.</summary>
public sealed record Topology(IReadOnlyList<VirtualServiceSpec> VirtualServices, EngineOptions Options);
