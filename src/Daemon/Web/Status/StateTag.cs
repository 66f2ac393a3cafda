using System.Globalization;

namespace Ipvs.Daemon.Web.Status;

/// <summary>
/// The weak entity tag of a status view: a 64-bit FNV-1a hash over what an operator watches — which services and
/// realservers are shown, health and since when, weights, admin state, flap damping, quorum, the summary and the
/// recent transitions — and not over what moves with every check (counters, latencies, times of the last check,
/// kernel traffic counters, the daemon's rates). Equal tags mean an equivalent view, which is what a weak tag
/// promises (RFC 9110 §8.8.1); a client that wants fresh counters asks without <c>If-None-Match</c>.
/// </summary>
internal struct StateTag
{
    private ulong _hash;

    public static string Of(StatusFilter filter, StatusSummary summary, DaemonStatus daemon,
        IReadOnlyList<VirtualServiceStatus> services, IReadOnlyList<TransitionEntry> recent)
    {
        var h = new StateTag { _hash = 14695981039346656037UL };
        h.Add(filter.ProblemsOnly ? 1 : 0);
        h.Add(filter.Service);
        h.Add(summary.VirtualServices);
        h.Add(summary.Realservers);
        h.Add(summary.Up);
        h.Add(summary.Problems);
        h.Add(daemon.Version);
        h.Add(daemon.StartedAt.UtcTicks);
        h.Add(daemon.Kernel);
        foreach (var vs in services)
        {
            h.Add(vs.Name);
            h.Add(vs.Key);
            h.Add(vs.Scheduler);
            h.Add(vs.Quorum);
            h.Add(vs.QuorumUp ? 1 : 0);
            h.Add(vs.SorryServerActive ? 1 : 0);
            h.Add(vs.LiveRealservers);
            h.Add(vs.RealserverCount);
            h.Add(vs.Realservers.Count);
            foreach (var rs in vs.Realservers)
            {
                h.Add(rs.Address);
                h.Add(rs.Port);
                h.Add((int)rs.Health);
                h.Add(rs.HealthSince.UtcTicks);
                h.Add(rs.Weight.Configured);
                h.Add(rs.Weight.Desired);
                h.Add(rs.Weight.Kernel ?? -1);
                h.Add(rs.Weight.Override ?? -1);
                h.Add((int)rs.Admin.State);
                h.Add(rs.Admin.SetBy);
                h.Add(rs.Admin.SetAt?.UtcTicks ?? -1);
                h.Add(rs.FlapDamping is null ? -2 : rs.FlapDamping.Until?.UtcTicks ?? -1);
                h.Add(rs.Transitions);
                h.Add(rs.LastCheck is null ? -1 : (int)rs.LastCheck.Result);
                h.Add(rs.LastCheck?.Reason);
            }
        }
        h.Add(recent.Count);
        if (recent.Count > 0)
        {
            h.Add(recent[0].At.UtcTicks);
            h.Add(recent[0].VirtualService);
            h.Add(recent[0].Realserver);
            h.Add(recent[0].To);
        }
        return "W/\"" + h._hash.ToString("x16", CultureInfo.InvariantCulture) + "\"";
    }

    private void Add(long value)
    {
        for (var i = 0; i < 8; i++)
        {
            _hash = (_hash ^ (byte)(value >> (8 * i))) * 1099511628211UL;
        }
    }

    private void Add(string? value)
    {
        if (value is null)
        {
            Add(-1L);
            return;
        }
        Add(value.Length);
        foreach (var c in value)
        {
            _hash = (_hash ^ c) * 1099511628211UL;
        }
    }
}
