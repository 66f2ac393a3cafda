using Ipvs.Engine;

namespace Ipvs.Daemon.Hosting;

/// <summary>
/// What a reload changes, counted for the operator's log line. The engine applies the change itself (keeping state
/// and in-flight checks of what did not change); this only describes it.
/// </summary>
internal readonly record struct TopologyDiff(int ServicesAdded, int ServicesRemoved, int ServicesChanged, int RealServersAdded, int RealServersRemoved, int RealServersChanged)
{
    public bool IsEmpty => this == default;

    public static TopologyDiff Compute(Topology before, Topology after)
    {
        var old = before.VirtualServices.ToDictionary(v => v.Service.Key);
        int sa = 0, sr = 0, sc = 0, ra = 0, rr = 0, rc = 0;
        var seen = new HashSet<Netlink.ServiceKey>();
        foreach (var vs in after.VirtualServices)
        {
            seen.Add(vs.Service.Key);
            if (!old.TryGetValue(vs.Service.Key, out var prev))
            {
                sa++;
                ra += vs.RealServers.Count;
                continue;
            }
            if (prev.Service != vs.Service || prev.Name != vs.Name || prev.Quorum != vs.Quorum || prev.QuorumHysteresis != vs.QuorumHysteresis
                || prev.SorryServer != vs.SorryServer || prev.MassFailureShare != vs.MassFailureShare)
            {
                sc++;
            }
            var prevRs = prev.RealServers.ToDictionary(r => r.Address);
            foreach (var rs in vs.RealServers)
            {
                if (!prevRs.Remove(rs.Address, out var p))
                {
                    ra++;
                }
                else if (!Same(p, rs))
                {
                    rc++;
                }
            }
            rr += prevRs.Count;
        }
        foreach (var vs in before.VirtualServices)
        {
            if (!seen.Contains(vs.Service.Key))
            {
                sr++;
                rr += vs.RealServers.Count;
            }
        }
        return new TopologyDiff(sa, sr, sc, ra, rr, rc);
    }

    // Records compare lists by reference; compare realservers field by field, checks by content.
    private static bool Same(RealServerSpec a, RealServerSpec b) =>
        a with { Checks = b.Checks } == b && a.Checks.SequenceEqual(b.Checks);

    public override string ToString() =>
        IsEmpty ? "no change"
        : $"virtual services +{ServicesAdded} -{ServicesRemoved} ~{ServicesChanged}, realservers +{RealServersAdded} -{RealServersRemoved} ~{RealServersChanged}";
}
