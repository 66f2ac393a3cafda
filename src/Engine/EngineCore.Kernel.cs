using System.Globalization;
using System.Net;
using Ipvs.Netlink;

namespace Ipvs.Engine;

internal sealed partial class EngineCore
{
    private readonly Dictionary<ServiceKey, ServiceEntry> _readByKey = [];
    private readonly Dictionary<(IPAddress, int), DestinationEntry> _readDests = [];

    /// <summary>
    /// Takes a dump as the new kernel view of the services the config declares (others are not ours and are
    /// not looked at). Outside of start-up, an owned entry that differs from what we last knew was changed
    /// behind our back: that is drift, handled by the configured policy.
    /// </summary>
    /// <param name="editedAfter">
    /// The generation of our batches when the dump started: services a later batch edited are skipped (the dump
    /// may show them before or after that batch). <see cref="long.MaxValue"/> for a dump taken in the pass.
    /// </param>
    private void ReadKernel(IReadOnlyList<ServiceEntry> dump, bool adopting, long editedAfter = long.MaxValue)
    {
        // Kept between reads (cleared after each): a read every few seconds allocates no lookup tables of its own.
        var byKey = _readByKey;
        var dests = _readDests;
        byKey.Clear();
        foreach (var s in dump)
        {
            byKey[s.Config.Key] = s;
        }
        try
        {
            ReadServices(byKey, dests, adopting, editedAfter);
        }
        finally
        {
            // Cleared so the tables hold nothing of an old dump; they keep their capacity.
            byKey.Clear();
            dests.Clear();
        }
    }

    private void ReadServices(Dictionary<ServiceKey, ServiceEntry> byKey, Dictionary<(IPAddress, int), DestinationEntry> dests, bool adopting, long editedAfter)
    {
        foreach (var vs in _serviceOrder)
        {
            if (vs.EditGeneration > editedAfter)
            {
                continue;
            }
            var had = vs.KernelService is not null;
            if (!byKey.TryGetValue(vs.Key, out var entry))
            {
                if (!adopting && had)
                {
                    ServiceDrift(vs);
                }
                vs.KernelService = null;
                vs.KernelEntry = null;
                vs.KernelSorry = null;
                foreach (var rs in vs.Ordered)
                {
                    rs.KernelDest = null;
                    rs.KernelEntry = null;
                }
                MarkDirty(vs);
                continue;
            }
            // Entries equal to what is held are not taken over: a read then leaves only garbage that dies young, instead of
            // 10,000 fresh objects that outlive the next collection (each read used to cost a gen1 collection).
            if (!Equals(vs.KernelService, entry.Config))
            {
                vs.KernelService = entry.Config;
            }
            if (vs.KernelEntry is not { } held || !Equals(held.Config, entry.Config) || !Equals(held.Stats, entry.Stats))
            {
                // The service's own figures, without its destination list (which would keep the whole dump alive).
                vs.KernelEntry = entry with { Destinations = [] };
            }
            var drifted = false;
            dests.Clear();
            foreach (var d in entry.Destinations)
            {
                dests[(d.Config.Address, d.Config.Port)] = d; // not Config.EndPoint: that is a new object per call
            }
            foreach (var rs in vs.Ordered)
            {
                dests.TryGetValue((rs.EndPoint.Address, rs.EndPoint.Port), out var d);
                var theirs = d?.Config;
                if (!adopting && had && !SameDestination(rs.KernelDest, theirs))
                {
                    DestinationDrift(rs, rs.KernelDest, theirs);
                    drifted = true;
                }
                if (!Equals(rs.KernelDest, theirs))
                {
                    rs.KernelDest = theirs;
                }
                if (!Equals(rs.KernelEntry, d))
                {
                    rs.KernelEntry = d;
                }
            }
            vs.KernelSorry = vs.Spec.SorryServer is { } sorry && dests.TryGetValue((sorry.Address, sorry.Port), out var sd) ? sd.Config : null;
            // A service whose kernel entries already match what we want needs no pass (at 10,000 realservers a
            // pass over all of them every read is milliseconds of the driver's time for nothing). Drift, a failed
            // edit waiting for its retry and a start-up adoption all leave a difference, or are marked here; a
            // mass-failure hold is looked at again on every read, as its window may have passed.
            if (adopting || drifted || vs.Held || KernelDiffers(vs))
            {
                MarkDirty(vs);
            }
        }
    }

    private static bool SameDestination(DestinationConfig? a, DestinationConfig? b) =>
        a is null ? b is null
        : b is not null && a.Weight == b.Weight && a.Forward == b.Forward
          && a.UpperThreshold == b.UpperThreshold && a.LowerThreshold == b.LowerThreshold;

    private void ServiceDrift(VirtualServiceState vs)
    {
        Counters._driftFound++;
        var policy = _options.Drift;
        // A whole service cannot be adopted as a realserver's admin state: adopt restores it like revert.
        var what = policy == DriftPolicy.Ignore ? "ignored" : "restored";
        vs.DriftIgnored = policy == DriftPolicy.Ignore;
        EngineLog.Drift(_logger, vs.Name, "service", "present", "removed", what);
        Raise(EngineEventKind.DriftDetected, vs, null, "present", "removed", "service " + what, "ipvsadm");
    }

    private void DestinationDrift(RealServerState rs, DestinationConfig? ours, DestinationConfig? theirs)
    {
        Counters._driftFound++;
        var from = Describe(ours);
        var to = Describe(theirs);
        string what;
        switch (_options.Drift)
        {
            case DriftPolicy.Ignore:
                rs.DriftIgnored = true;
                what = "ignored until the next change";
                break;
            case DriftPolicy.Adopt:
                what = AdoptDrift(rs, theirs);
                _ = PersistAdmin();
                break;
            default:
                what = "reverted";
                break;
        }
        EngineLog.Drift(_logger, rs.Service.Name, rs.EndPoint.ToString(), from, to, what);
        Raise(EngineEventKind.DriftDetected, rs.Service, rs.EndPoint, from, to, what, "ipvsadm");
    }

    /// <summary>
    /// An operator's edit becomes admin state: removed → maintenance, weight 0 → drain, another weight → a
    /// weight override (and ready). Health still applies on top, as for any admin state.
    /// </summary>
    private string AdoptDrift(RealServerState rs, DestinationConfig? theirs)
    {
        const string Who = "ipvsadm (adopted)";
        if (theirs is null)
        {
            ChangeAdmin(rs, AdminState.Maintenance, rs.WeightOverride, Who, null);
            return "adopted as maintenance";
        }
        if (theirs.Weight == 0)
        {
            ChangeAdmin(rs, AdminState.Drain, rs.WeightOverride, Who, null);
            return "adopted as drain";
        }
        int? weightOverride = theirs.Weight == (rs.ReportedWeight ?? rs.Spec.Weight) ? null : theirs.Weight;
        ChangeAdmin(rs, AdminState.Ready, weightOverride, Who, null);
        return weightOverride is null ? "adopted as ready" : "adopted as weight override " + theirs.Weight.ToString(CultureInfo.InvariantCulture);
    }

    private static string Describe(DestinationConfig? d) =>
        d is null ? "absent" : "weight " + d.Weight.ToString(CultureInfo.InvariantCulture);
}
