using Ipvs.Netlink;
using static Ipvs.Engine.Tests.EngineHarness;

namespace Ipvs.Engine.Tests;

public class EngineServiceTests
{
    private static readonly ServiceConfig Svc = Service();
    private static readonly DestinationConfig Sorry = new(System.Net.IPAddress.Parse("10.0.9.9"), 80, ForwardMethod.Masquerade, 1);

    [Fact]
    public async Task Quorum_LostAndRestoredWithHysteresis_SorryServerFollows()
    {
        await using var h = new EngineHarness();
        var rss = Enumerable.Range(1, 4).Select(i => RealServer(Rs(i), 10, Every(1, rise: 1, fall: 1))).ToArray();
        // quorum 25 ± 5: lost below 20, met again at 30
        var vs = new VirtualServiceSpec("web", Svc, rss, Quorum: 25, QuorumHysteresis: 5, SorryServer: Sorry);
        await h.StartAsync(Topo(null, vs));
        h.Run(Second);
        Assert.Null(h.Weight(Svc, Sorry.EndPoint));

        h.Checks.Set(Rs(1), pass: false);
        h.Run(Second);
        Assert.Null(h.Weight(Svc, Sorry.EndPoint)); // 30 live
        h.Checks.Set(Rs(2), pass: false);
        h.Run(Second);
        Assert.Null(h.Weight(Svc, Sorry.EndPoint)); // 20 live: not below 20
        h.Checks.Set(Rs(3), pass: false);
        h.Run(Second);
        Assert.Equal(1, h.Weight(Svc, Sorry.EndPoint)); // 10 live: lost
        Assert.Equal(0, h.Weight(Svc, Rs(4))); // the sorry server takes the new connections
        Assert.Contains(h.Events, e => e.Kind == EngineEventKind.QuorumLost);

        h.Checks.Set(Rs(3), pass: true);
        h.Run(Second);
        Assert.Equal(1, h.Weight(Svc, Sorry.EndPoint)); // 20 live: not yet 30
        h.Checks.Set(Rs(2), pass: true);
        h.Run(Second);
        Assert.Null(h.Weight(Svc, Sorry.EndPoint)); // 30 live: met
        Assert.Equal(10, h.Weight(Svc, Rs(4)));
        Assert.Equal(QuorumState.Met, h.Engine.Snapshot().VirtualServices[0].Quorum);
    }

    [Fact]
    public async Task MassFailureGuard_MostServersFailAtOnce_HeldAndAlerted()
    {
        await using var h = new EngineHarness();
        var rss = Enumerable.Range(1, 10).Select(i => RealServer(Rs(i), 10, Every(1, fall: 1))).ToArray();
        var vs = new VirtualServiceSpec("web", Svc, rss, MassFailureShare: 0.3);
        await h.StartAsync(Topo(null, vs));
        h.Run(Second);
        h.Checks.SetAll(rss.Select(r => r.Address), pass: false);
        h.Run(2 * Second);
        var weights = rss.Select(r => h.Weight(Svc, r.Address)).ToList();
        Assert.Equal(3, weights.Count(w => w == 0));
        Assert.Equal(7, weights.Count(w => w == 10));
        Assert.Single(h.Events, e => e.Kind == EngineEventKind.MassFailureHeld);
        Assert.Equal(1, h.Engine.Counters.MassFailureHolds);
        var held = h.Engine.Snapshot().VirtualServices[0];
        Assert.True(held.MassFailureHeld);
        Assert.Equal(h.Events.Single(e => e.Kind == EngineEventKind.MassFailureHeld).At, held.MassFailureHeldSince);
        Assert.Equal("1 realservers failing at once (+3 recently) of 10; at most 3 may go", held.MassFailureHeldWhy);

        Assert.Equal(1, h.Engine.ReleaseMassFailureHold("web", "alice"));
        Assert.All(rss, r => Assert.Equal(0, h.Weight(Svc, r.Address)));
        var released = h.Engine.Snapshot().VirtualServices[0];
        Assert.False(released.MassFailureHeld);
        Assert.Null(released.MassFailureHeldSince);
        Assert.Null(released.MassFailureHeldWhy);
        Assert.Equal(0, h.Engine.ReleaseMassFailureHold("web", "alice"));
    }

    [Fact]
    public async Task MassFailureGuard_FewFail_AppliedNormally()
    {
        await using var h = new EngineHarness();
        var rss = Enumerable.Range(1, 10).Select(i => RealServer(Rs(i), 10, Every(1, fall: 1))).ToArray();
        await h.StartAsync(Topo(null, new VirtualServiceSpec("web", Svc, rss, MassFailureShare: 0.3)));
        h.Run(Second);
        h.Checks.SetAll(rss.Take(2).Select(r => r.Address), pass: false);
        h.Run(2 * Second);
        Assert.Equal(2, rss.Count(r => h.Weight(Svc, r.Address) == 0));
        Assert.DoesNotContain(h.Events, e => e.Kind == EngineEventKind.MassFailureHeld);
    }

    [Fact]
    public async Task Restart_KernelHasLiveServers_NoFlapAndNoEdits()
    {
        var table = new InMemoryIpvsTable();
        var topo = Topo(null, VirtualService("web", Svc, RealServer(Rs(1), 10, Every(1, fall: 3)), RealServer(Rs(2), 10, Every(1, fall: 3))));
        await using (var first = new EngineHarness(table))
        {
            await first.StartAsync(topo);
            first.Run(2 * Second);
        }
        var edits = table.Edits;
        await using var h = new EngineHarness(table);
        // The restarted daemon's first results fail (say the network is still coming up): fall=3 protects.
        h.Checks.Set(Rs(1), pass: false);
        await h.StartAsync(topo);
        h.Run(1.5 * Second);
        Assert.Equal(10, h.Weight(Svc, Rs(1)));
        Assert.Equal(edits, table.Edits);
        Assert.DoesNotContain(h.Events, e => e.Kind == EngineEventKind.HealthChanged);
        Assert.Equal(HealthState.Falling, h.Row("web", Rs(1)).Health);
    }

    [Fact]
    public async Task ReadinessGate_NoKernelChangeBeforeIt()
    {
        await using var h = new EngineHarness();
        await h.StartAsync(Topo(new EngineOptions { ReadinessGate = TimeSpan.FromSeconds(3) }, VirtualService("web", Svc, RealServer(Rs(1), 10))));
        h.Run(2.5 * Second);
        Assert.Empty(h.Table.Dump());
        Assert.False(h.Engine.IsReady);
        h.Run(Second);
        Assert.Equal(10, h.Weight(Svc, Rs(1)));
        Assert.True(h.Engine.IsReady);
        Assert.Equal(1, h.Table.Batches);
    }

    [Fact]
    public async Task Reload_UnchangedRealServer_KeepsStateAndPhase()
    {
        await using var h = new EngineHarness();
        var web = VirtualService("web", Svc, RealServer(Rs(1), 10, Every(1, rise: 3, fall: 1)), RealServer(Rs(2), 10, Every(1, rise: 3, fall: 1)));
        await h.StartAsync(Topo(null, web));
        h.Run(Second);
        h.Checks.Set(Rs(1), pass: false);
        h.Run(Second);
        Assert.Equal(0, h.Weight(Svc, Rs(1)));
        var created = h.Checks.Created;
        var runs = h.Checks.RunsOf(Rs(2));

        h.Checks.Set(Rs(1), pass: true);
        var other = VirtualService("api", Service(2), RealServer(Rs(3), 5));
        h.Engine.ApplyTopology(Topo(null, web with { RealServers = [.. web.RealServers, RealServer(Rs(4), 7)] }, other));
        // No new probe for the unchanged realservers, no extra run at reload time, and rs1 still needs rise=3.
        Assert.Equal(created + 2, h.Checks.Created);
        Assert.Equal(runs, h.Checks.RunsOf(Rs(2)));
        h.Run(1.2 * Second);
        Assert.Equal(0, h.Weight(Svc, Rs(1)));
        Assert.Equal(HealthState.Rising, h.Row("web", Rs(1)).Health);
        Assert.Equal(7, h.Weight(Svc, Rs(4)));
        Assert.Equal(5, h.Weight(Service(2), Rs(3)));
    }

    [Fact]
    public async Task Reload_RemovedRealServerAndService_DeletedFromKernelOthersLeftAlone()
    {
        await using var h = new EngineHarness();
        var web = VirtualService("web", Svc, RealServer(Rs(1), 10), RealServer(Rs(2), 10));
        var api = VirtualService("api", Service(2), RealServer(Rs(3), 5));
        await h.StartAsync(Topo(null, web, api));
        h.Run(Second);
        // Not ours: a service and a destination someone else put there.
        h.Ipvsadm(IpvsEdit.AddService(Service(3)));
        h.Ipvsadm(IpvsEdit.AddDestination(Svc.Key, new DestinationConfig(Rs(8).Address, 80, ForwardMethod.Route, 4)));

        h.Engine.ApplyTopology(Topo(null, web with { RealServers = [web.RealServers[0]] }));
        h.Run(Second);
        Assert.Null(h.Weight(Svc, Rs(2)));
        Assert.Equal(10, h.Weight(Svc, Rs(1)));
        Assert.Equal(4, h.Weight(Svc, Rs(8)));
        var keys = h.Table.Dump().Select(s => s.Config.Key).ToHashSet();
        Assert.DoesNotContain(Service(2).Key, keys);
        Assert.Contains(Service(3).Key, keys);
        Assert.Equal(2, h.Checks.Disposed); // the probes of rs2 and of the api service
    }

    [Fact]
    public async Task Stop_RemoveOnExit_RemovesOwnedServicesOnly()
    {
        await using var h = new EngineHarness();
        await h.StartAsync(Topo(new EngineOptions { RemoveOnExit = true }, VirtualService("web", Svc, RealServer(Rs(1), 10))));
        h.Run(Second);
        h.Ipvsadm(IpvsEdit.AddService(Service(3)));
        await h.Engine.StopAsync();
        Assert.Equal([Service(3).Key], h.Table.Dump().Select(s => s.Config.Key));
    }
}
