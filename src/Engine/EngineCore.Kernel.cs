using System.Globalization;
using System.Net;
using Ipvs.Netlink;

namespace Ipvs.Engine;

internal sealed partial class EngineCore
{
    /// <summary>
    /// Takes a dump as the new kernel view of the services the config declares (others are not ours and are
    /// not looked at). Outside of start-up, an owned entry that differs from what we last knew was changed
    /// behind our back: that is drift, handled by the configured policy.
    /// </summary>
    private void ReadKernel(IReadOnlyList<ServiceEntry> dump, bool adopting)
    {
        var byKey = new Dictionary<ServiceKey, ServiceEntry>(dump.Count);
        foreach (var s in dump)
        {
            byKey[s.Config.Key] = s;
        }
        var dests = new Dictionary<IPEndPoint, DestinationEntry>();
        foreach (var vs in _serviceOrder)
        {
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
            vs.KernelService = entry.Config;
            vs.KernelEntry = entry;
            var drifted = false;
            dests.Clear();
            foreach (var d in entry.Destinations)
            {
                dests[d.Config.EndPoint] = d;
            }
            foreach (var rs in vs.Ordered)
            {
                dests.TryGetValue(rs.EndPoint, out var d);
                var theirs = d?.Config;
                if (!adopting && had && !SameDestination(rs.KernelDest, theirs))
                {
                    DestinationDrift(rs, rs.KernelDest, theirs);
                    drifted = true;
                }
                rs.KernelDest = theirs;
                rs.KernelEntry = d;
            }
            vs.KernelSorry = vs.Spec.SorryServer is { } sorry && dests.TryGetValue(sorry.EndPoint, out var sd) ? sd.Config : null;
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
                PersistAdmin();
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
