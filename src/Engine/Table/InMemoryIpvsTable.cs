using System.Net;
using System.Net.Sockets;
using Ipvs.Netlink;

namespace Ipvs.Engine;

/// <summary>
/// An IPVS table in memory that answers edits the way the kernel does (ip_vs_ctl.c): EEXIST for a service or
/// destination that exists, ESRCH for a missing service, ENOENT for a missing destination or an unknown
/// scheduler, ERANGE for a negative weight or a lower threshold above the upper one. For unit tests and the demo
/// on machines without IPVS; the real kernel is the proof.
/// </summary>
public sealed class InMemoryIpvsTable : IIpvsTable
{
    // The schedulers a stock kernel ships (net/netfilter/ipvs/ip_vs_*.c); anything else is ENOENT like a
    // failed request_module.
    private static readonly HashSet<string> KnownSchedulers =
        ["rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh", "twos"];

    private readonly Lock _lock = new();
    private readonly Dictionary<ServiceKey, Service> _services = [];
    private long _batches;
    private long _edits;

    public string Description => "in-memory table";

    /// <summary>Batches applied so far (one per <see cref="Apply"/> call).</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Edits applied so far, failed ones included.</summary>
    public long Edits => Interlocked.Read(ref _edits);

    public IReadOnlyList<ServiceEntry> Dump()
    {
        lock (_lock)
        {
            var list = new List<ServiceEntry>(_services.Count);
            foreach (var s in _services.Values)
            {
                var dests = new List<DestinationEntry>(s.Destinations.Count);
                foreach (var d in s.Destinations.Values)
                {
                    dests.Add(new DestinationEntry(d, 0, 0, 0, IpvsStats.Zero));
                }
                list.Add(new ServiceEntry(s.Config, IpvsStats.Zero, dests));
            }
            return list;
        }
    }

    /// <summary>The weight of one destination, or null when it (or its service) is absent.</summary>
    public int? WeightOf(ServiceKey service, IPEndPoint destination)
    {
        lock (_lock)
        {
            return _services.TryGetValue(service, out var s) && s.Destinations.TryGetValue(destination, out var d)
                ? d.Weight
                : null;
        }
    }

    public void Apply(ReadOnlySpan<IpvsEdit> edits, Span<IpvsEditResult> results)
    {
        if (results.Length < edits.Length)
        {
            throw new ArgumentException("one result slot per edit is needed", nameof(results));
        }
        lock (_lock)
        {
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _edits, edits.Length);
            for (var i = 0; i < edits.Length; i++)
            {
                var errno = ApplyOne(edits[i]);
                results[i] = errno == 0 ? IpvsEditResult.Ok : new IpvsEditResult(errno, Describe(errno));
            }
        }
    }

    private int ApplyOne(in IpvsEdit edit)
    {
        switch (edit.Kind)
        {
            case IpvsEditKind.AddService:
                if (edit.Service is not { } add || !ValidKey(add.Key))
                {
                    return Errno.EINVAL;
                }
                if (_services.ContainsKey(add.Key))
                {
                    return Errno.EEXIST;
                }
                if (!KnownSchedulers.Contains(add.Scheduler))
                {
                    return Errno.ENOENT;
                }
                _services.Add(add.Key, new Service(add));
                return 0;
            case IpvsEditKind.EditService:
                if (edit.Service is not { } set || !ValidKey(set.Key))
                {
                    return Errno.EINVAL;
                }
                if (!_services.TryGetValue(set.Key, out var existing))
                {
                    return Errno.ESRCH;
                }
                if (!KnownSchedulers.Contains(set.Scheduler))
                {
                    return Errno.ENOENT;
                }
                existing.Config = set;
                return 0;
            case IpvsEditKind.DeleteService:
                return _services.Remove(edit.Key) ? 0 : Errno.ESRCH;
            default:
                return ApplyDestination(edit);
        }
    }

    private int ApplyDestination(in IpvsEdit edit)
    {
        if (edit.Destination is not { } dest)
        {
            return Errno.EINVAL;
        }
        if (!_services.TryGetValue(edit.Key, out var service))
        {
            return Errno.ESRCH;
        }
        var endPoint = dest.EndPoint;
        if (edit.Kind == IpvsEditKind.DeleteDestination)
        {
            return service.Destinations.Remove(endPoint) ? 0 : Errno.ENOENT;
        }
        // ip_vs_add_dest / ip_vs_edit_dest check the values before looking the destination up.
        if (dest.Weight < 0 || dest.LowerThreshold > dest.UpperThreshold)
        {
            return Errno.ERANGE;
        }
        if (dest.Address.AddressFamily != service.Config.Key.Family && dest.Forward != ForwardMethod.Tunnel)
        {
            return Errno.EINVAL;
        }
        var exists = service.Destinations.ContainsKey(endPoint);
        if (edit.Kind == IpvsEditKind.AddDestination)
        {
            if (exists)
            {
                return Errno.EEXIST;
            }
        }
        else if (!exists)
        {
            return Errno.ENOENT;
        }
        service.Destinations[endPoint] = dest;
        return 0;
    }

    private static bool ValidKey(ServiceKey key) =>
        key.IsFirewallMark || (key.Address is not null && key.Address.AddressFamily == key.Family
            && key.Family is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6);

    private static string Describe(int errno) => errno switch
    {
        Errno.ENOENT => "no such destination or scheduler",
        Errno.ESRCH => "no such virtual service",
        Errno.EEXIST => "already exists",
        Errno.ERANGE => "weight or threshold out of range",
        _ => "invalid argument",
    };

    private sealed class Service(ServiceConfig config)
    {
        public ServiceConfig Config { get; set; } = config;

        public Dictionary<IPEndPoint, DestinationConfig> Destinations { get; } = [];
    }
}
