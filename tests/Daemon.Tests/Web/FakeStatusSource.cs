using System.Net;
using Ipvs.Daemon.Web.Admin;
using Ipvs.Daemon.Web.Status;

namespace Ipvs.Daemon.Tests.Web;

/// <summary>
/// A status source and admin seam over a small mutable model, for web tests that need exact values.
/// Admin actions change the model the same way the engine adapter changes the engine.
/// </summary>
internal sealed class FakeStatusSource : IStatusSource, IAdminActions
{
    private readonly Lock _lock = new();
    private readonly List<VirtualServiceStatus> _services = [];
    private int _captures;

    public static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    public int AdminCalls { get; private set; }

    public int Captures => Volatile.Read(ref _captures);

    /// <summary>Runs before each capture with the capture number (1-based): lets a test change state mid-session.</summary>
    public Action<int>? OnCapture { get; set; }

    public Func<AdminResult> ReloadResult { get; set; } = () => new AdminResult(0);

    public static FakeStatusSource TwoServices()
    {
        var source = new FakeStatusSource();
        source.Add(Service("web", "10.0.0.1", 80, Server("10.0.1.1", 80, HealthState.Up), Server("10.0.1.2", 80, HealthState.Up)));
        source.Add(Service("mail", "10.0.0.2", 25, Server("10.0.1.1", 25, HealthState.Up), Server("10.0.1.3", 25, HealthState.Down)));
        return source;
    }

    public static RealServerStatus Server(string address, int port, HealthState health, int weight = 10) => new(
        address, port, health, Start,
        new WeightInfo(weight, health == HealthState.Up ? weight : 0, health == HealthState.Up ? weight : 0, null),
        new AdminInfo(AdminState.Ready, null, null),
        new LastCheck(health == HealthState.Up ? CheckOutcome.Pass : CheckOutcome.Fail, health == HealthState.Up ? null : "connection refused", 1.5, Start),
        Transitions: 1, ChecksPassed: 7, ChecksFailed: 2, ChecksErrored: 0);

    public static VirtualServiceStatus Service(string name, string address, int port, params RealServerStatus[] servers) => new(
        name, $"TCP {address}:{port}", "tcp", address, port, 0, "wlc", Quorum: 1, QuorumUp: true, SorryServerActive: false,
        new KernelCounters(100, 1000, 900, 64000, 128000), servers);

    public void Add(VirtualServiceStatus vs)
    {
        lock (_lock)
        {
            _services.Add(vs);
        }
    }

    public void Remove(string name)
    {
        lock (_lock)
        {
            _services.RemoveAll(s => s.Name == name);
        }
    }

    /// <summary>Puts a mass-failure hold on <paramref name="name"/> (null: clears it).</summary>
    public void SetHold(string name, MassFailureHoldInfo? hold)
    {
        lock (_lock)
        {
            var i = _services.FindIndex(s => s.Name == name);
            _services[i] = _services[i] with { MassFailureHold = hold };
        }
    }

    /// <summary>Replaces one realserver with what <paramref name="change"/> makes of it.</summary>
    public int Update(Func<VirtualServiceStatus, RealServerStatus, bool> match, Func<RealServerStatus, RealServerStatus> change)
    {
        lock (_lock)
        {
            var n = 0;
            for (var i = 0; i < _services.Count; i++)
            {
                var vs = _services[i];
                var servers = vs.Realservers.ToArray();
                for (var j = 0; j < servers.Length; j++)
                {
                    if (match(vs, servers[j]))
                    {
                        servers[j] = change(servers[j]);
                        n++;
                    }
                }
                _services[i] = vs with { Realservers = servers };
            }
            return n;
        }
    }

    public StatusSnapshot Capture()
    {
        OnCapture?.Invoke(Interlocked.Increment(ref _captures));
        lock (_lock)
        {
            var daemon = new DaemonStatus("test", Start, "in-memory", 3, 42.5, 0.8, 5000, 12, 1, 30, 2, 4, false, 612.5, 7,
                new Dictionary<string, long> { ["timeout"] = 6, ["deadline_cut_short"] = 1 },
                new Dictionary<string, long> { ["refused"] = 9, ["wrong_answer"] = 0 },
                3);
            return new StatusSnapshot(daemon, _services.ToArray());
        }
    }

    public AdminResult SetAdminState(string virtualService, IPEndPoint realserver, AdminState state, string who)
    {
        AdminCalls++;
        var n = Update((vs, rs) => vs.Name == virtualService && Is(rs, realserver),
            rs => rs with { Admin = new AdminInfo(state, who, Start) });
        return n == 0 ? AdminResult.Missing($"no realserver {realserver} in {virtualService}") : new AdminResult(n);
    }

    public AdminResult SetHostAdminState(IPAddress host, AdminState state, string who)
    {
        AdminCalls++;
        var n = Update((_, rs) => rs.Address == host.ToString(), rs => rs with { Admin = new AdminInfo(state, who, Start) });
        return n == 0 ? AdminResult.Missing($"no realserver on {host}") : new AdminResult(n);
    }

    public AdminResult SetWeightOverride(string virtualService, IPEndPoint realserver, int? weight, string who)
    {
        AdminCalls++;
        var n = Update((vs, rs) => vs.Name == virtualService && Is(rs, realserver),
            rs => rs with { Weight = rs.Weight with { Override = weight } });
        return n == 0 ? AdminResult.Missing($"no realserver {realserver} in {virtualService}") : new AdminResult(n);
    }

    public Task<AdminResult> ReloadAsync(CancellationToken cancellationToken)
    {
        AdminCalls++;
        return Task.FromResult(ReloadResult());
    }

    public AdminResult ReleaseMassFailureHold(string? virtualService, string who)
    {
        AdminCalls++;
        lock (_lock)
        {
            if (virtualService is not null && !_services.Exists(s => s.Name == virtualService))
            {
                return AdminResult.Missing($"no virtual service '{virtualService}'");
            }
            var n = 0;
            for (var i = 0; i < _services.Count; i++)
            {
                if ((virtualService is null || _services[i].Name == virtualService) && _services[i].MassFailureHold is not null)
                {
                    _services[i] = _services[i] with { MassFailureHold = null };
                    n++;
                }
            }
            return n == 0 ? AdminResult.Failed("no mass-failure hold in force") : new AdminResult(n);
        }
    }

    private static bool Is(RealServerStatus rs, IPEndPoint ep) => rs.Address == ep.Address.ToString() && rs.Port == ep.Port;
}
