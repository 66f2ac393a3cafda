using System.Net;
using Ipvs.Checks;
using Ipvs.Netlink;

namespace Ipvs.Engine;

/// <summary>Everything the engine knows about one realserver of one virtual service. Owned by the loop.</summary>
internal sealed class RealServerState
{
    public RealServerState(VirtualServiceState service, RealServerSpec spec, DateTimeOffset now)
    {
        Service = service;
        Spec = spec;
        EndPoint = spec.Address;
        HealthSince = now;
        Ramp = new SlowStartTimer(this);
        DampTimer = new DampingTimer(this);
    }

    public VirtualServiceState Service { get; }

    public IPEndPoint EndPoint { get; }

    public RealServerSpec Spec;

    public ProbeRunner[] Checks = [];

    // health
    public HealthState Health;
    public DateTimeOffset HealthSince;
    public CheckResult? DecidingResult;

    // admin (persisted)
    public AdminState Admin;
    public int? WeightOverride;
    public string? AdminBy;
    public DateTimeOffset? AdminAt;

    public int? ReportedWeight;

    /// <summary>What an agent check reported (weight percentage, readiness); not persisted.</summary>
    public AgentInput Agent = AgentInput.None;

    /// <summary>The admin state the weight planner follows: the operator's, else the agent's drain or maint.</summary>
    public AdminState EffectiveAdmin => Agent.Effective(Admin);

    // slow start: engine time it began, or -1
    public long SlowStartFrom = -1;
    public readonly SlowStartTimer Ramp;

    // flap damping: engine times of the latest failures (a ring), and the hold in force (DampedUntil: engine time
    // the hold ends while up, long.MaxValue while down and damped, -1 when not damped)
    public long[] FailureTimes = [];
    public int FailureNext;
    public long DampedUntil = -1;
    public readonly DampingTimer DampTimer;

    public bool Damped => DampedUntil >= 0;

    // desired: Known = the engine has an opinion (false until health is known, to keep what the kernel has)
    public bool DesiredKnown;
    public bool DesiredPresent;
    public int DesiredWeight;
    public bool HeldByGuard;

    // scratch for one recompute: proposed before the service-level rules (guard, sorry) have their say
    public bool ProposedPresent;
    public int ProposedWeight;

    // kernel view: what the kernel had at the last dump or successful edit
    public DestinationConfig? KernelDest;
    public DestinationEntry? KernelEntry;

    public bool DriftIgnored;
    public int LastErrno;
    public long RetryAt;

    /// <summary>The destination as the engine wants it in the kernel.</summary>
    public DestinationConfig DesiredConfig(int weight) =>
        KernelDest is { } k && k.Weight == weight && SameFixedFields(k)
            ? k
            : new DestinationConfig(EndPoint.Address, (ushort)EndPoint.Port, Spec.Forward, weight, Spec.UpperThreshold, Spec.LowerThreshold);

    public bool SameFixedFields(DestinationConfig k) =>
        k.Forward == Spec.Forward && k.UpperThreshold == Spec.UpperThreshold && k.LowerThreshold == Spec.LowerThreshold;

    /// <summary>The weight the realserver should have when up and ready, before slow start.</summary>
    public int BaseWeight => WeightOverride ?? ReportedWeight ?? Agent.Scale(Spec.Weight);
}
