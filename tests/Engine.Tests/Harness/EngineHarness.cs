using System.Net;
using Ipvs.Checks;
using Ipvs.Netlink;
using Microsoft.Extensions.Time.Testing;

namespace Ipvs.Engine.Tests;

/// <summary>An engine over an in-memory table, scripted probes and a fake clock.</summary>
public sealed class EngineHarness : IAsyncDisposable
{
    public static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    public EngineHarness(InMemoryIpvsTable? table = null, IAdminStateStore? store = null, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null)
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Table = table ?? new InMemoryIpvsTable();
        Store = store ?? new InMemoryAdminStateStore();
        Checks = new ScriptedChecks(Time);
        Engine = new HealthEngine(Table, Store, Checks, Time, loggerFactory);
        Engine.EventRaised += Events.Add;
    }

    public FakeTimeProvider Time { get; }

    public InMemoryIpvsTable Table { get; }

    public IAdminStateStore Store { get; }

    public ScriptedChecks Checks { get; }

    public HealthEngine Engine { get; }

    public List<EngineEvent> Events { get; } = [];

    public static IPEndPoint Rs(int i, int port = 80) => new(IPAddress.Parse($"10.0.1.{i}"), port);

    public static ServiceConfig Service(int i = 1, string scheduler = "wlc") =>
        new(ServiceKey.ForAddress(IpvsProtocol.Tcp, new IPEndPoint(IPAddress.Parse($"192.0.2.{i}"), 80)), scheduler);

    public static CheckSchedule Every(double seconds, int rise = 2, int fall = 2, double? fast = null, double? down = null) =>
        new(TimeSpan.FromSeconds(seconds), rise, fall, fast is null ? null : TimeSpan.FromSeconds(fast.Value), down is null ? null : TimeSpan.FromSeconds(down.Value));

    public static RealServerSpec RealServer(IPEndPoint ep, int weight = 10, CheckSchedule? schedule = null, OnFailure onFailure = OnFailure.Quiesce, TimeSpan slowStart = default, CheckSpec? spec = null) =>
        new(ep, weight, ForwardMethod.Route, [new RealServerCheck(spec ?? new TestSpec(), new CheckTarget(ep), schedule ?? Every(1))], onFailure, slowStart);

    public static VirtualServiceSpec VirtualService(string name, ServiceConfig svc, params RealServerSpec[] realServers) =>
        new(name, svc, realServers);

    public static Topology Topo(EngineOptions? options, params VirtualServiceSpec[] services) =>
        new(services, options ?? new EngineOptions());

    public async Task StartAsync(Topology topology)
    {
        Engine.ApplyTopology(topology);
        await Engine.StartAsync();
    }

    /// <summary>Moves the fake clock forward in engine-tick steps so every tick fires.</summary>
    public void Run(TimeSpan duration, TimeSpan? step = null)
    {
        var s = step ?? TimeSpan.FromMilliseconds(5);
        for (var t = TimeSpan.Zero; t < duration; t += s)
        {
            Time.Advance(s);
        }
    }

    public int? Weight(ServiceConfig svc, IPEndPoint rs) => Table.WeightOf(svc.Key, rs);

    public RealServerStatus Row(string vs, IPEndPoint rs) =>
        Engine.Snapshot().VirtualServices.Single(v => v.Name == vs).RealServers.Single(r => r.Address.Equals(rs));

    /// <summary>An operator's ipvsadm edit behind the engine's back.</summary>
    public IpvsEditResult Ipvsadm(IpvsEdit edit)
    {
        var r = new IpvsEditResult[1];
        Table.Apply([edit], r);
        return r[0];
    }

    public async ValueTask DisposeAsync() => await Engine.DisposeAsync();
}
