using Ipvs.Netlink;
using static Ipvs.Engine.Tests.EngineHarness;

namespace Ipvs.Engine.Tests;

public class EngineAdminTests
{
    private static readonly ServiceConfig Svc = Service();

    private static Topology Web(EngineOptions? o = null) =>
        Topo(o, VirtualService("web", Svc, RealServer(Rs(1), 10, Every(1, rise: 1, fall: 1)), RealServer(Rs(2), 10, Every(1, rise: 1, fall: 1))));

    [Fact]
    public async Task Drain_HealthyServer_WeightZeroAndChecksDoNotUndoIt()
    {
        await using var h = new EngineHarness();
        await h.StartAsync(Web());
        h.Run(Second);
        var changes = h.Engine.SetAdminState("web", RealServerSelector.EndPoint(Rs(1)), AdminState.Drain, "alice");
        Assert.True(Assert.Single(changes).Changed);
        Assert.Equal(0, h.Weight(Svc, Rs(1)));
        h.Run(5 * Second);
        Assert.Equal(0, h.Weight(Svc, Rs(1)));
        Assert.Equal(10, h.Weight(Svc, Rs(2)));
        var row = h.Row("web", Rs(1));
        Assert.Equal(("alice", AdminState.Drain, HealthState.Up), (row.AdminBy, row.Admin, row.Health));
        var e = h.Events.Single(x => x.Kind == EngineEventKind.AdminChanged);
        Assert.Equal(("ready", "drain", "alice"), (e.From, e.To, e.Who));
    }

    [Fact]
    public async Task Maintenance_RemovesDestinationButKeepsChecking()
    {
        await using var h = new EngineHarness();
        await h.StartAsync(Web());
        h.Run(Second);
        h.Engine.SetAdminState(null, RealServerSelector.Host(Rs(1).Address), AdminState.Maintenance, "bob");
        Assert.Null(h.Weight(Svc, Rs(1)));
        var runs = h.Checks.RunsOf(Rs(1));
        h.Checks.Set(Rs(1), pass: false);
        h.Run(3 * Second);
        Assert.True(h.Checks.RunsOf(Rs(1)) > runs);
        Assert.Equal(HealthState.Down, h.Row("web", Rs(1)).Health);
        h.Checks.Set(Rs(1), pass: true);
        h.Engine.SetAdminState(null, RealServerSelector.Host(Rs(1).Address), AdminState.Ready, "bob");
        h.Run(2 * Second);
        Assert.Equal(10, h.Weight(Svc, Rs(1)));
    }

    [Fact]
    public async Task Events_HealthAndAdminChanges_CarryTheOtherStateForAlerting()
    {
        await using var h = new EngineHarness();
        await h.StartAsync(Web());
        h.Run(Second);
        h.Engine.SetAdminState("web", RealServerSelector.EndPoint(Rs(1)), AdminState.Maintenance, "bob");
        h.Checks.Set(Rs(1), pass: false);
        h.Checks.Set(Rs(2), pass: false);
        h.Run(3 * Second);
        var down1 = h.Events.Single(x => x.Kind == EngineEventKind.HealthChanged && x.RealServer!.Equals(Rs(1)) && x.To == "down");
        var down2 = h.Events.Single(x => x.Kind == EngineEventKind.HealthChanged && x.RealServer!.Equals(Rs(2)) && x.To == "down");
        Assert.Equal(("maintenance", "ready"), (down1.Admin, down2.Admin));

        h.Engine.SetAdminState("web", RealServerSelector.EndPoint(Rs(1)), AdminState.Ready, "bob");
        var back = h.Events.Last(x => x.Kind == EngineEventKind.AdminChanged);
        Assert.Equal(("maintenance", "ready", "down"), (back.From, back.To, back.Health));
    }

    [Fact]
    public async Task SetAdminState_NothingMatches_ReturnsEmpty()
    {
        await using var h = new EngineHarness();
        await h.StartAsync(Web());
        Assert.Empty(h.Engine.SetAdminState("web", RealServerSelector.Host(Rs(9).Address), AdminState.Drain, "x"));
        Assert.Empty(h.Engine.SetAdminState("nope", RealServerSelector.Host(Rs(1).Address), AdminState.Drain, "x"));
    }

    [Fact]
    public async Task WeightOverride_SetAndCleared_FollowsOverrideThenConfig()
    {
        await using var h = new EngineHarness();
        await h.StartAsync(Web());
        h.Run(Second);
        h.Engine.SetWeightOverride("web", RealServerSelector.EndPoint(Rs(1)), 3, "carol");
        Assert.Equal(3, h.Weight(Svc, Rs(1)));
        h.Engine.SetWeightOverride("web", RealServerSelector.EndPoint(Rs(1)), null, "carol");
        Assert.Equal(10, h.Weight(Svc, Rs(1)));
    }

    [Fact]
    public async Task AdminState_Restart_PersistedAndApplied()
    {
        var dir = Directory.CreateTempSubdirectory("engine-admin-").FullName;
        try
        {
            var table = new InMemoryIpvsTable();
            var path = Path.Combine(dir, "admin.json");
            await using (var h = new EngineHarness(table, new FileAdminStateStore(path)))
            {
                await h.StartAsync(Web());
                h.Run(Second);
                h.Engine.SetAdminState("web", RealServerSelector.EndPoint(Rs(2)), AdminState.Drain, "alice");
                Assert.Equal(0, h.Weight(Svc, Rs(2)));
            }
            await using (var h = new EngineHarness(table, new FileAdminStateStore(path)))
            {
                await h.StartAsync(Web());
                h.Run(3 * Second);
                Assert.Equal(0, h.Weight(Svc, Rs(2)));
                var row = h.Row("web", Rs(2));
                Assert.Equal((AdminState.Drain, "alice"), (row.Admin, row.AdminBy));
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task AdminStateFile_Damaged_EngineStartsAndRuns()
    {
        var dir = Directory.CreateTempSubdirectory("engine-admin-").FullName;
        try
        {
            var path = Path.Combine(dir, "admin.json");
            File.WriteAllText(path, "{\"version\":1,\"realservers\":[{\"virtual_service\":\"web\",");
            await using var h = new EngineHarness(store: new FileAdminStateStore(path));
            await h.StartAsync(Web());
            h.Run(Second);
            Assert.Equal(10, h.Weight(Svc, Rs(1)));
            Assert.True(File.Exists(path + ".damaged"));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
