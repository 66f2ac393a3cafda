using System.Net;
using Ipvs.Netlink;

namespace Ipvs.Engine;

/// <summary>One virtual service: its realservers, quorum, sorry server, guard, and the kernel's view of it.</summary>
internal sealed class VirtualServiceState(VirtualServiceSpec spec)
{
    public VirtualServiceSpec Spec = spec;

    public string Name => Spec.Name;

    public ServiceKey Key => Spec.Service.Key;

    public readonly Dictionary<IPEndPoint, RealServerState> RealServers = [];
    public readonly List<RealServerState> Ordered = [];

    public QuorumState Quorum = QuorumState.NotConfigured;
    public int LiveWeight;
    public bool SorryActive;

    // mass-failure guard
    public bool Held;
    public bool ReleaseRequested;
    public DateTimeOffset? HeldSince;
    public string? HeldWhy;
    public readonly Queue<long> TakeOuts = new();

    // kernel view
    public ServiceConfig? KernelService;
    public ServiceEntry? KernelEntry;
    public DestinationConfig? KernelSorry;
    public bool DriftIgnored;
    public int LastErrno;
    public long RetryAt;
    public bool FailedThisPass;

    /// <summary>The generation of our last batch that edited this service (a full read started before it skips the service).</summary>
    public long EditGeneration;
    public bool Dirty;
    public bool Retired;
}
