using Ipvs.Netlink;
using static Ipvs.Engine.Tests.EngineHarness;

namespace Ipvs.Engine.Tests;

public class EngineHealthTests
{
    private static readonly ServiceConfig Svc = Service();

    [Fact]
    public async Task Start_EmptyKernel_AddsServiceAndRealServersAfterFirstResult()
    {
        await using var h = new EngineHarness();
        h.Checks.Set(Rs(2), pass: false);
        await h.StartAsync(Topo(null, VirtualService("web", Svc, RealServer(Rs(1), 10), RealServer(Rs(2), 20))));
        h.Run(Second);
        Assert.Equal(10, h.Weight(Svc, Rs(1)));
        Assert.Equal(0, h.Weight(Svc, Rs(2)));
        Assert.True(h.Engine.IsReady);
    }

    [Fact]
    public async Task Failures_ReachFall_WeightGoesToZeroWithinIntervalTimesFall()
    {
        await using var h = new EngineHarness();
        await h.StartAsync(Topo(null, VirtualService("web", Svc, RealServer(Rs(1), 10, Every(1, rise: 2, fall: 3)))));
        h.Run(2 * Second);
        Assert.Equal(10, h.Weight(Svc, Rs(1)));

        h.Checks.Set(Rs(1), pass: false);
        h.Run(2 * Second);
        Assert.Equal(10, h.Weight(Svc, Rs(1))); // two failures: falling, still up
        Assert.Equal(HealthState.Falling, h.Row("web", Rs(1)).Health);
        h.Run(1.1 * Second);
        Assert.Equal(0, h.Weight(Svc, Rs(1)));
        var e = h.Events.Single(x => x.Kind == EngineEventKind.HealthChanged && x.To == "down");
        Assert.Equal("connection refused", e.Result?.Reason);
    }

    [Fact]
    public async Task OnFailureRemove_Down_DestinationDeleted()
    {
        await using var h = new EngineHarness();
        await h.StartAsync(Topo(null, VirtualService("web", Svc, RealServer(Rs(1), 10, Every(1, fall: 1), OnFailure.Remove))));
        h.Run(Second);
        Assert.Equal(10, h.Weight(Svc, Rs(1)));
        h.Checks.Set(Rs(1), pass: false);
        h.Run(Second);
        Assert.Null(h.Weight(Svc, Rs(1)));
        Assert.Single(h.Table.Dump()); // the service stays
    }

    [Fact]
    public async Task FastInterval_WhileChanging_ChecksSooner()
    {
        await using var h = new EngineHarness();
        await h.StartAsync(Topo(null, VirtualService("web", Svc, RealServer(Rs(1), 10, Every(2, fall: 3, fast: 0.5)))));
        h.Run(4 * Second);
        h.Checks.Set(Rs(1), pass: false);
        var before = h.Checks.RunsOf(Rs(1));
        h.Run(3 * Second);
        // one run at the normal interval fails (falling), then two more at 0.5 s take it down: far under 3 × 2 s
        Assert.Equal(0, h.Weight(Svc, Rs(1)));
        Assert.True(h.Checks.RunsOf(Rs(1)) - before >= 3);
    }

    [Fact]
    public async Task DownInterval_WhileDown_ChecksLessOften()
    {
        await using var h = new EngineHarness();
        h.Checks.Set(Rs(1), pass: false);
        await h.StartAsync(Topo(null, VirtualService("web", Svc, RealServer(Rs(1), 10, Every(1, down: 5)))));
        h.Run(2 * Second);
        var before = h.Checks.RunsOf(Rs(1));
        h.Run(10 * Second);
        Assert.InRange(h.Checks.RunsOf(Rs(1)) - before, 1, 3);
    }

    [Fact]
    public async Task SeveralChecks_OneFails_RealServerDown()
    {
        await using var h = new EngineHarness();
        var alt = Rs(1, 8080);
        var rs = new RealServerSpec(Rs(1), 10, ForwardMethod.Route,
        [
            new RealServerCheck(new TestSpec("tcp"), new(Rs(1)), Every(1, fall: 1)),
            new RealServerCheck(new TestSpec("http"), new(alt), Every(1, fall: 1)),
        ]);
        await h.StartAsync(Topo(null, VirtualService("web", Svc, rs)));
        h.Run(Second);
        Assert.Equal(10, h.Weight(Svc, Rs(1)));
        h.Checks.Set(alt, pass: false);
        h.Run(Second);
        Assert.Equal(0, h.Weight(Svc, Rs(1)));
    }

    [Fact]
    public async Task ErrorResults_CheckCouldNotRun_DoNotMarkDown()
    {
        await using var h = new EngineHarness();
        await h.StartAsync(Topo(null, VirtualService("web", Svc, RealServer(Rs(1), 10, Every(1, fall: 1)))));
        h.Run(Second);
        h.Checks.SetError(Rs(1));
        h.Run(5 * Second);
        Assert.Equal(10, h.Weight(Svc, Rs(1)));
        Assert.True(h.Engine.Counters.ChecksErrored >= 4);
        Assert.Equal(Ipvs.Checks.CheckStatus.Error, h.Row("web", Rs(1)).Checks[0].LastResult?.Status);
    }

    [Fact]
    public async Task ReportedWeight_FromCheck_BecomesDesiredWeight()
    {
        await using var h = new EngineHarness();
        h.Checks.Set(Rs(1), pass: true, weight: 3);
        await h.StartAsync(Topo(null, VirtualService("web", Svc, RealServer(Rs(1), 10))));
        h.Run(Second);
        Assert.Equal(3, h.Weight(Svc, Rs(1)));
    }

    [Fact]
    public async Task SlowStart_AfterRecovery_RampsWithoutZeroToFullWeight()
    {
        await using var h = new EngineHarness();
        await h.StartAsync(Topo(null, VirtualService("web", Svc, RealServer(Rs(1), 100, Every(1, rise: 1, fall: 1), slowStart: TimeSpan.FromSeconds(10)))));
        h.Run(Second);
        Assert.Equal(100, h.Weight(Svc, Rs(1))); // a fresh start is not a recovery
        h.Checks.Set(Rs(1), pass: false);
        h.Run(Second);
        Assert.Equal(0, h.Weight(Svc, Rs(1)));

        h.Checks.Set(Rs(1), pass: true);
        var seen = new List<int>();
        for (var i = 0; i < 240; i++)
        {
            h.Run(TimeSpan.FromMilliseconds(50));
            seen.Add(h.Weight(Svc, Rs(1)) ?? -1);
        }
        var afterUp = seen.SkipWhile(w => w == 0).ToList();
        Assert.All(afterUp, w => Assert.True(w >= 1));
        Assert.True(afterUp.Count(w => w is > 1 and < 100) >= 5, "ramp steps: " + string.Join(",", afterUp.Distinct()));
        Assert.Equal(afterUp.Order(), afterUp); // never goes back down
        Assert.Equal(100, seen[^1]);
        Assert.True(h.Row("web", Rs(1)).SlowStarting is false);
    }

    [Fact]
    public async Task SlowStart_SmallWeight_NeverRoundsToZero()
    {
        await using var h = new EngineHarness();
        await h.StartAsync(Topo(null, VirtualService("web", Svc, RealServer(Rs(1), 2, Every(1, rise: 1, fall: 1), slowStart: TimeSpan.FromSeconds(60)))));
        h.Checks.Set(Rs(1), pass: false);
        h.Run(Second);
        h.Checks.Set(Rs(1), pass: true);
        h.Run(1.2 * Second);
        Assert.Equal(1, h.Weight(Svc, Rs(1)));
    }
}
