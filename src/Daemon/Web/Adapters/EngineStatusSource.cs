using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Ipvs.Checks;
using Ipvs.Daemon.Web.Metrics;
using Ipvs.Daemon.Web.Status;
using Ipvs.Netlink;
using E = Ipvs.Engine;

namespace Ipvs.Daemon.Web.Adapters;

/// <summary>
/// Reads the engine's snapshot and counters and turns them into the web layer's status model. Runs at scrape
/// and poll time only.
/// </summary>
public sealed class EngineStatusSource : IStatusSource
{
    private static readonly string Version =
        typeof(EngineStatusSource).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    private readonly Func<E.EngineSnapshot> _snapshot;
    private readonly E.EngineCounters _counters;
    private readonly MeteredCheckFactory? _checks;
    private readonly TransitionCounter _transitions;
    private readonly RateEstimator _rate;
    private readonly Func<IReadOnlyList<E.ProbeLoopStatus>>? _loops;

    public EngineStatusSource(E.HealthEngine engine, TransitionCounter transitions, TimeProvider time, MeteredCheckFactory? checks = null)
        : this(engine.Snapshot, engine.Counters, transitions, time, checks)
    {
        _loops = engine.ProbeLoops;
    }

    internal EngineStatusSource(Func<E.EngineSnapshot> snapshot, E.EngineCounters counters, TransitionCounter transitions, TimeProvider time, MeteredCheckFactory? checks)
    {
        _snapshot = snapshot;
        _counters = counters;
        _checks = checks;
        _transitions = transitions;
        _rate = new RateEstimator(time);
    }

    public StatusSnapshot Capture()
    {
        var snapshot = _snapshot();
        var services = new VirtualServiceStatus[snapshot.VirtualServices.Count];
        var live = new HashSet<(string, IPEndPoint)>();
        for (var i = 0; i < services.Length; i++)
        {
            services[i] = Map(snapshot.VirtualServices[i], live);
        }
        _transitions.Retain(live);
        var c = _counters;
        var total = c.ChecksPassed + c.ChecksFailed + c.ChecksErrored;
        var daemon = new DaemonStatus(
            Version,
            snapshot.StartedAt,
            snapshot.Table,
            (int)c.ChecksInFlight,
            _rate.Update(total),
            snapshot.Lag.TotalMilliseconds,
            total,
            c.KernelEdits,
            c.KernelErrors,
            c.ReconcilePasses,
            c.DriftFound,
            c.AdminStateSaveErrors,
            !c.AdminStateSaveFailing,
            c.LagMax.TotalMilliseconds,
            c.ResultsDistrustedForLag,
            ByKind(c, distrusted: true),
            ByKind(c, distrusted: false),
            c.DistrustedRechecks,
            c.MassFailureHolds);
        daemon = daemon with { ProbeLoops = Loops() };
        return new StatusSnapshot(daemon, services);
    }

    private ProbeLoopInfo[] Loops()
    {
        if (_loops is null)
        {
            return [];
        }
        var loops = _loops();
        var rows = new ProbeLoopInfo[loops.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            var l = loops[i];
            rows[i] = new ProbeLoopInfo(l.Index, l.Targets, l.Load, l.Lag.TotalMilliseconds, l.LagMax.TotalMilliseconds, l.Busy.TotalSeconds, l.Passes);
        }
        return rows;
    }

    private static int HeldCount(E.VirtualServiceStatus vs)
    {
        var n = 0;
        foreach (var rs in vs.RealServers)
        {
            n += rs.HeldByMassFailureGuard ? 1 : 0;
        }
        return n;
    }

    /// <summary>The lag guard's counts per failure kind: every kind of its group, zeros included, so each series exists from the start.</summary>
    private static Dictionary<string, long> ByKind(E.EngineCounters c, bool distrusted)
    {
        var byKind = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var kind in Enum.GetValues<FailureKind>())
        {
            if (kind != FailureKind.None && kind.LatenessMayCause() == distrusted)
            {
                byKind[kind.Word()] = distrusted ? c.DistrustedBy(kind) : c.TrustedWhileLaggingBy(kind);
            }
        }
        return byKind;
    }

    private VirtualServiceStatus Map(E.VirtualServiceStatus vs, HashSet<(string, IPEndPoint)> live)
    {
        var servers = new RealServerStatus[vs.RealServers.Count];
        for (var i = 0; i < servers.Length; i++)
        {
            var rs = vs.RealServers[i];
            live.Add((vs.Name, rs.Address));
            servers[i] = Map(vs.Name, rs);
        }
        var key = vs.Key;
        var stats = vs.Kernel?.Stats;
        return new VirtualServiceStatus(
            vs.Name,
            key.ToString(),
            ProtocolName(key.Protocol),
            key.IsFirewallMark ? "" : key.Address?.ToString() ?? "",
            key.Port,
            key.FirewallMark,
            vs.Kernel?.Config.Scheduler ?? "",
            vs.QuorumWeight,
            vs.Quorum != E.QuorumState.Lost,
            vs.SorryServerActive,
            stats is null ? null : new KernelCounters(stats.Connections, stats.InPackets, stats.OutPackets, stats.InBytes, stats.OutBytes),
            servers,
            vs.MassFailureHeld ? new MassFailureHoldInfo(vs.MassFailureHeldSince, vs.MassFailureHeldWhy ?? "", HeldCount(vs)) : null);
    }

    private RealServerStatus Map(string virtualService, E.RealServerStatus rs)
    {
        var stats = _checks?.StatsFor(rs.Address);
        return new RealServerStatus(
            Address(rs.Address),
            rs.Address.Port,
            Health(rs.Health),
            rs.HealthSince,
            new WeightInfo(rs.ConfiguredWeight, rs.DesiredWeight ?? 0, rs.KernelWeight, rs.WeightOverride),
            new AdminInfo(EngineAdminActions.ToWeb(rs.Admin), rs.AdminBy, rs.AdminAt),
            Last(rs.Checks),
            _transitions.Get(virtualService, rs.Address),
            stats?.Passed ?? 0,
            stats?.Failed ?? 0,
            stats?.Errored ?? 0,
            rs.FlapDamped ? new FlapDampingInfo(rs.FlapDampedUntil) : null,
            Checks(rs.Checks));
    }

    private static CheckInfo[] Checks(IReadOnlyList<E.CheckStatusView> checks)
    {
        var result = new CheckInfo[checks.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var c = checks[i];
            var r = c.LastResult;
            result[i] = new CheckInfo(c.Name ?? c.Kind, c.Kind, c.Target.ToString(), Health(c.Health),
                r is { } v ? Outcome(v.Status) : CheckOutcome.None, r?.Reason, r?.Latency.TotalMilliseconds, c.LastAt);
        }
        return result;
    }

    private static CheckOutcome Outcome(CheckStatus status) => status switch
    {
        CheckStatus.Pass => CheckOutcome.Pass,
        CheckStatus.Fail => CheckOutcome.Fail,
        _ => CheckOutcome.Error,
    };

    /// <summary>The check to show: the latest failing one if any check fails (that is what keeps it down), else the latest.</summary>
    private static LastCheck? Last(IReadOnlyList<E.CheckStatusView> checks)
    {
        E.CheckStatusView? best = null;
        foreach (var view in checks)
        {
            if (view.LastResult is not { } result || view.LastAt is null)
            {
                continue;
            }
            if (best is null)
            {
                best = view;
                continue;
            }
            var bestFailing = !best.LastResult!.Value.Passed;
            var failing = !result.Passed;
            if (failing && !bestFailing || failing == bestFailing && view.LastAt > best.LastAt)
            {
                best = view;
            }
        }
        if (best is null)
        {
            return null;
        }
        var r = best.LastResult!.Value;
        return new LastCheck(Outcome(r.Status), r.Reason, r.Latency.TotalMilliseconds, best.LastAt!.Value, best.Name ?? best.Kind);
    }

    internal static HealthState Health(E.HealthState health) => health switch
    {
        E.HealthState.Up => HealthState.Up,
        E.HealthState.Falling => HealthState.Falling,
        E.HealthState.Down => HealthState.Down,
        E.HealthState.Rising => HealthState.Rising,
        _ => HealthState.Unknown,
    };

    private static string Address(IPEndPoint ep) =>
        ep.Address.IsIPv4MappedToIPv6 && ep.AddressFamily == AddressFamily.InterNetworkV6 ? ep.Address.MapToIPv4().ToString() : ep.Address.ToString();

    private static string ProtocolName(IpvsProtocol protocol) => protocol switch
    {
        IpvsProtocol.Tcp => "tcp",
        IpvsProtocol.Udp => "udp",
        IpvsProtocol.Sctp => "sctp",
        _ => ((ushort)protocol).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
