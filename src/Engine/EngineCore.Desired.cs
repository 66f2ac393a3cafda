using System.Globalization;

namespace Ipvs.Engine;

internal sealed partial class EngineCore
{
    private readonly List<RealServerState> _candidates = [];

    /// <summary>
    /// Desired weights of one service: per realserver from admin state, health, reported weight and slow start;
    /// then the mass-failure guard, quorum and the sorry server over the whole service.
    /// </summary>
    private void RecomputeDesired(VirtualServiceState vs)
    {
        _candidates.Clear();
        foreach (var rs in vs.Ordered)
        {
            rs.HeldByGuard = false;
            var up = CheckHealth.IsUp(rs.Health);
            bool known = true, present;
            var weight = 0;
            if (rs.EffectiveAdmin == AdminState.Maintenance)
            {
                present = false;
            }
            else if (up is null)
            {
                // No verdict yet: leave whatever the kernel has.
                known = false;
                present = rs.KernelDest is not null;
                weight = rs.KernelDest?.Weight ?? 0;
            }
            else if (up == false || rs.Damped)
            {
                present = rs.Spec.OnFailure == OnFailure.Quiesce;
                if (rs.KernelDest is { Weight: > 0 } && rs.EffectiveAdmin == AdminState.Ready)
                {
                    _candidates.Add(rs);
                }
            }
            else if (rs.EffectiveAdmin == AdminState.Drain)
            {
                present = true;
            }
            else
            {
                present = true;
                weight = SlowStartWeight(rs);
            }
            rs.DesiredKnown = known;
            rs.ProposedPresent = present;
            rs.ProposedWeight = weight;
        }
        ApplyGuard(vs);
        ApplyQuorum(vs);
        foreach (var rs in vs.Ordered)
        {
            if (vs.SorryActive && rs.ProposedWeight > 0)
            {
                // The sorry server takes all new connections; live realservers leave the way a failed one
                // would (keepalived's rule): quiesced at weight 0, or removed with on_failure: remove. Either
                // way the kernel lets established sessions finish.
                rs.ProposedWeight = 0;
                rs.ProposedPresent = rs.Spec.OnFailure == OnFailure.Quiesce;
            }
            SetDesired(rs, rs.ProposedPresent, rs.ProposedWeight);
        }
    }

    private int SlowStartWeight(RealServerState rs)
    {
        var full = rs.BaseWeight;
        if (rs.SlowStartFrom < 0)
        {
            return full;
        }
        var elapsed = _now - rs.SlowStartFrom;
        var ramp = rs.Spec.SlowStart.Ticks;
        if (elapsed >= ramp || full <= 0)
        {
            rs.SlowStartFrom = -1;
            return full;
        }
        // Never 0 for a live server: weight 0 would quiesce the server the ramp is meant to bring in.
        return Math.Max(1, (int)(full * (double)elapsed / ramp));
    }

    private void SetDesired(RealServerState rs, bool present, int weight)
    {
        if (rs.DesiredPresent == present && rs.DesiredWeight == weight)
        {
            return;
        }
        var from = rs.DesiredPresent ? rs.DesiredWeight.ToString(CultureInfo.InvariantCulture) : "absent";
        rs.DesiredPresent = present;
        rs.DesiredWeight = weight;
        // Our own change ends an ignored drift: from here on, ours is what counts.
        rs.DriftIgnored = false;
        rs.Service.DriftIgnored = false;
        if (rs.DesiredKnown)
        {
            var to = present ? weight.ToString(CultureInfo.InvariantCulture) : "absent";
            Raise(EngineEventKind.WeightChanged, rs.Service, rs.EndPoint, from, to, WhyWeight(rs), "engine");
        }
    }

    private static string WhyWeight(RealServerState rs) =>
        rs.EffectiveAdmin == AdminState.Maintenance ? (rs.Admin == AdminState.Maintenance ? "maintenance" : "agent: maint")
        : CheckHealth.IsUp(rs.Health) == false ? (rs.Spec.OnFailure == OnFailure.Remove ? "down (remove)" : "down (quiesce)")
        : rs.Damped ? "flap damping"
        : rs.EffectiveAdmin == AdminState.Drain ? (rs.Admin == AdminState.Drain ? "drain" : "agent: drain")
        : rs.SlowStartFrom >= 0 ? "slow start"
        : rs.WeightOverride is not null ? "weight override"
        : rs.ReportedWeight is not null ? "reported weight"
        : rs.Agent.Percent >= 0 ? "agent weight"
        : "up";

    /// <summary>
    /// If taking the failed realservers out now (plus those taken out within the guard window) would remove more
    /// than the allowed share of the service, keep them as they are, say so once, and wait: either they recover,
    /// or an operator releases the hold.
    /// </summary>
    private void ApplyGuard(VirtualServiceState vs)
    {
        if (vs.Spec.MassFailureShare is not double share)
        {
            vs.Held = false;
            return;
        }
        var window = GuardWindow(vs);
        while (vs.TakeOuts.Count > 0 && vs.TakeOuts.Peek() < _now - window)
        {
            vs.TakeOuts.Dequeue();
        }
        var allowed = (int)Math.Floor(share * vs.Ordered.Count);
        var hold = _candidates.Count > 0 && _candidates.Count + vs.TakeOuts.Count > allowed && !vs.ReleaseRequested;
        vs.ReleaseRequested = false;
        if (hold)
        {
            foreach (var rs in _candidates)
            {
                rs.HeldByGuard = true;
                rs.ProposedPresent = true;
                rs.ProposedWeight = rs.KernelDest!.Weight;
            }
            if (!vs.Held)
            {
                vs.Held = true;
                Counters._massFailureHolds++;
                var why = $"{_candidates.Count} realservers failing at once (+{vs.TakeOuts.Count} recently) of {vs.Ordered.Count}; at most {allowed} may go";
                vs.HeldSince = Wall;
                vs.HeldWhy = why;
                EngineLog.MassFailureHeld(_logger, vs.Name, why);
                Raise(EngineEventKind.MassFailureHeld, vs, null, "applying", "held", why, "engine");
            }
            return;
        }
        foreach (var _ in _candidates)
        {
            vs.TakeOuts.Enqueue(_now);
        }
        if (vs.Held)
        {
            vs.Held = false;
            vs.HeldSince = null;
            vs.HeldWhy = null;
            Raise(EngineEventKind.MassFailureReleased, vs, null, "held", "applying", _candidates.Count == 0 ? "failing realservers recovered" : "within the allowed share or released", "engine");
        }
    }

    private static long GuardWindow(VirtualServiceState vs)
    {
        long window = 0;
        foreach (var rs in vs.Ordered)
        {
            foreach (var c in rs.Checks)
            {
                window = Math.Max(window, c.Schedule.Interval.Ticks * (c.Schedule.Fall + 1));
            }
        }
        return window > 0 ? window : TimeSpan.TicksPerSecond * 10;
    }

    /// <summary>Quorum in weight units with hysteresis (keepalived's): lost below Q−H, met again at Q+H.</summary>
    private void ApplyQuorum(VirtualServiceState vs)
    {
        var live = 0;
        var total = 0;
        var anyUnknown = false;
        foreach (var rs in vs.Ordered)
        {
            var up = CheckHealth.IsUp(rs.Health);
            anyUnknown |= up is null;
            if (rs.Admin == AdminState.Ready)
            {
                total += rs.BaseWeight;
                if (up == true && !rs.HeldByGuard)
                {
                    live += rs.BaseWeight;
                }
            }
        }
        vs.LiveWeight = live;
        var q = vs.Spec.Quorum;
        if (q <= 0)
        {
            vs.Quorum = QuorumState.NotConfigured;
            SetSorry(vs, false);
            return;
        }
        var h = vs.Spec.QuorumHysteresis;
        var before = vs.Quorum;
        var after = before switch
        {
            QuorumState.Met => live < q - h ? QuorumState.Lost : QuorumState.Met,
            QuorumState.Lost => live >= q + h ? QuorumState.Met : QuorumState.Lost,
            // First verdict only once every realserver has one, so a start does not flash the sorry server. As
            // in keepalived, a start counts as coming from Met when all the weight together meets Q+H (else the
            // service could never regain quorum after a loss), so it is lost only below Q−H.
            _ => anyUnknown ? QuorumState.NotConfigured : total >= q + h && live >= q - h ? QuorumState.Met : QuorumState.Lost,
        };
        vs.Quorum = after;
        if (after != before && after != QuorumState.NotConfigured)
        {
            var why = $"live weight {live}, quorum {q} ± {h}";
            EngineLog.QuorumChanged(_logger, vs.Name, after == QuorumState.Met ? "met" : "lost", why);
            Raise(after == QuorumState.Met ? EngineEventKind.QuorumRestored : EngineEventKind.QuorumLost, vs, null,
                before == QuorumState.Met ? "met" : "lost", after == QuorumState.Met ? "met" : "lost", why, "engine");
        }
        SetSorry(vs, after == QuorumState.Lost && vs.Spec.SorryServer is not null);
    }

    private void SetSorry(VirtualServiceState vs, bool active)
    {
        if (vs.SorryActive == active)
        {
            return;
        }
        vs.SorryActive = active;
        var sorry = vs.Spec.SorryServer;
        Raise(active ? EngineEventKind.SorryServerOn : EngineEventKind.SorryServerOff, vs, sorry?.EndPoint,
            active ? "off" : "on", active ? "on" : "off", active ? "quorum lost" : "quorum met", "engine");
    }
}
