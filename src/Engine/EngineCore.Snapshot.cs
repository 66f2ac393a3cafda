namespace Ipvs.Engine;

internal sealed partial class EngineCore
{
    public EngineSnapshot Snapshot()
    {
        lock (_lock)
        {
            var services = new List<VirtualServiceStatus>(_serviceOrder.Count);
            foreach (var vs in _serviceOrder)
            {
                var rows = new List<RealServerStatus>(vs.Ordered.Count);
                foreach (var rs in vs.Ordered)
                {
                    rows.Add(Row(rs));
                }
                services.Add(new VirtualServiceStatus(
                    vs.Name, vs.Key, vs.KernelService is not null, vs.Quorum, vs.LiveWeight, vs.Spec.Quorum,
                    vs.SorryActive, vs.Held, rows, vs.KernelEntry, vs.HeldSince, vs.HeldWhy));
            }
            return new EngineSnapshot(Wall, _startedAtWall, _running, _ready, _lagging,
                TimeSpan.FromTicks(Counters._lagCurrentTicks), Table.Description, _lastDump, services);
        }
    }

    private RealServerStatus Row(RealServerState rs)
    {
        var checks = new CheckStatusView[rs.Checks.Length];
        for (var i = 0; i < checks.Length; i++)
        {
            var c = rs.Checks[i];
            checks[i] = new CheckStatusView(c.Key.Spec.Kind, c.Key.EndPoint, c.Health.State, c.LastResult, c.LastAt,
                c.Health.Passes, c.Health.Failures, c.CurrentInterval, c.Subscribers.Count, c.LastDistrusted, c.Key.Spec.Label);
        }
        return new RealServerStatus(
            rs.EndPoint, CheckHealth.IsUp(Aggregate(rs)) == CheckHealth.IsUp(rs.Health) ? Aggregate(rs) : rs.Health, rs.HealthSince, rs.Spec.Weight,
            rs.DesiredKnown ? (rs.DesiredPresent ? rs.DesiredWeight : null) : rs.KernelDest?.Weight,
            rs.KernelDest?.Weight, rs.ReportedWeight, rs.WeightOverride, rs.Admin, rs.AdminBy, rs.AdminAt,
            rs.SlowStartFrom >= 0, rs.HeldByGuard, rs.DecidingResult, checks, rs.KernelEntry,
            rs.Damped, rs.Damped && rs.DampedUntil != long.MaxValue ? Wall + TimeSpan.FromTicks(rs.DampedUntil - _now) : null);
    }
}
