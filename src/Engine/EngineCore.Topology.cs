using System.Net;
using Ipvs.Netlink;

namespace Ipvs.Engine;

internal sealed partial class EngineCore
{
    private readonly List<IpvsEdit> _pendingDeletes = [];

    /// <summary>
    /// Start and hot reload. Matching is by virtual service name (and key), realserver endpoint and
    /// <see cref="ProbeKey"/>: whatever matches keeps its state, its phase and its in-flight run.
    /// </summary>
    public void ApplyTopology(Topology topology)
    {
        lock (_lock)
        {
            _now = Now();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var spec in topology.VirtualServices)
            {
                if (!seen.Add(spec.Name))
                {
                    throw new ArgumentException($"virtual service '{spec.Name}' is declared twice", nameof(topology));
                }
            }
            _topology = topology;
            _options = topology.Options;
            foreach (var runner in _runners.Values)
            {
                runner.Subscribers.Clear();
            }
            var used = new HashSet<ProbeRunner>();
            var order = new List<VirtualServiceState>(topology.VirtualServices.Count);
            foreach (var spec in topology.VirtualServices)
            {
                if (_services.TryGetValue(spec.Name, out var vs) && vs.Key != spec.Service.Key)
                {
                    RetireService(vs);
                    vs = null;
                }
                if (vs is null)
                {
                    vs = new VirtualServiceState(spec);
                    _services[spec.Name] = vs;
                }
                vs.Spec = spec;
                ApplyRealServers(vs, used);
                order.Add(vs);
                MarkDirty(vs);
            }
            foreach (var old in _serviceOrder)
            {
                if (!seen.Contains(old.Name) && !old.Retired)
                {
                    RetireService(old);
                    _services.Remove(old.Name);
                }
            }
            _serviceOrder.Clear();
            _serviceOrder.AddRange(order);
            RetireUnusedRunners(used);
            if (_running)
            {
                UpdateSlot();
                var window = FirstRunWindow(used.Count(r => !r.IsScheduled && !r.InFlight && !r.Waiting));
                foreach (var runner in used)
                {
                    if (!runner.IsScheduled && !runner.InFlight && !runner.Waiting)
                    {
                        SchedulePhase(runner, window);
                    }
                }
            }
            EngineLog.TopologyApplied(_logger, _serviceOrder.Count, _runners.Count, Counters._checkSubscriptions);
        }
        if (_running)
        {
            Pump();
        }
    }

    private void ApplyRealServers(VirtualServiceState vs, HashSet<ProbeRunner> used)
    {
        var keep = new Dictionary<IPEndPoint, RealServerState>(vs.Spec.RealServers.Count);
        vs.Ordered.Clear();
        foreach (var spec in vs.Spec.RealServers)
        {
            if (!vs.RealServers.TryGetValue(spec.Address, out var rs))
            {
                rs = new RealServerState(vs, spec, Wall);
                rs.Ramp.Core = this;
                rs.DampTimer.Core = this;
                ApplyAdminRecord(rs);
            }
            if (keep.ContainsKey(spec.Address))
            {
                throw new ArgumentException($"realserver {spec.Address} is declared twice in '{vs.Name}'");
            }
            rs.Spec = spec;
            if (rs.Damped && spec.FlapDamping is null)
            {
                EndDamping(rs, "flap damping removed by reload");
            }
            var checks = new ProbeRunner[spec.Checks.Count];
            for (var i = 0; i < checks.Length; i++)
            {
                var runner = GetOrCreateRunner(spec.Checks[i]);
                runner.Subscribers.Add(rs);
                used.Add(runner);
                checks[i] = runner;
            }
            var changed = !checks.AsSpan().SequenceEqual(rs.Checks);
            rs.Checks = checks;
            keep.Add(spec.Address, rs);
            vs.Ordered.Add(rs);
            if (changed)
            {
                RecomputeHealth(rs, null, null);
            }
        }
        foreach (var (ep, rs) in vs.RealServers)
        {
            if (!keep.ContainsKey(ep))
            {
                _wheel.Cancel(rs.Ramp);
                _wheel.Cancel(rs.DampTimer);
                if (rs.KernelDest is { } d && !vs.Retired)
                {
                    _pendingDeletes.Add(IpvsEdit.DeleteDestination(vs.Key, d));
                }
            }
        }
        vs.RealServers.Clear();
        foreach (var (ep, rs) in keep)
        {
            vs.RealServers.Add(ep, rs);
        }
    }

    private ProbeRunner GetOrCreateRunner(RealServerCheck check)
    {
        var key = ProbeKey.For(check);
        if (_runners.TryGetValue(key, out var runner))
        {
            return runner;
        }
        var loop = _loops[_pins.Pin(check.Target.EndPoint)];
        Ipvs.Checks.IHealthCheck probe;
        try
        {
            probe = _checks.Create(check.Spec, check.Target, loop);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            EngineLog.ProbeUnavailable(_logger, check.Spec.Kind, check.Target.EndPoint, ex.Message);
            probe = new UnavailableProbe(check.Spec, check.Target, "check could not be created: " + ex.Message);
        }
        var address = check.Target.EndPoint.Address;
        if (!_hosts.TryGetValue(address, out var host))
        {
            host = new HostSlot(address);
            _hosts.Add(address, host);
        }
        host.Users++;
        runner = new ProbeRunner(this, key, probe, host, loop);
        _runners.Add(key, runner);
        return runner;
    }

    private void RetireUnusedRunners(HashSet<ProbeRunner> used)
    {
        List<ProbeKey>? gone = null;
        long subscriptions = 0;
        foreach (var (key, runner) in _runners)
        {
            if (used.Contains(runner))
            {
                subscriptions += runner.Subscribers.Count;
                continue;
            }
            (gone ??= []).Add(key);
            _wheel.Cancel(runner);
            runner.Retired = true;
            _pins.Unpin(runner.Key.EndPoint);
            if (--runner.Host.Users == 0 && runner.Host.InFlight == 0 && runner.Host.Waiting.Count == 0)
            {
                _hosts.Remove(runner.Host.Address);
            }
            if (!runner.InFlight)
            {
                runner.Probe.Dispose();
            }
        }
        if (gone is not null)
        {
            foreach (var key in gone)
            {
                _runners.Remove(key);
            }
        }
        Counters._uniqueChecks = _runners.Count;
        Counters._checkSubscriptions = subscriptions;
    }

    private void RetireService(VirtualServiceState vs)
    {
        vs.Retired = true;
        foreach (var rs in vs.Ordered)
        {
            _wheel.Cancel(rs.Ramp);
            _wheel.Cancel(rs.DampTimer);
        }
        if (vs.KernelService is not null)
        {
            _pendingDeletes.Add(IpvsEdit.DeleteService(vs.Key));
        }
    }
}
