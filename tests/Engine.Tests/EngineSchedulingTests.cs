using Ipvs.Netlink;
using static Ipvs.Engine.Tests.EngineHarness;

namespace Ipvs.Engine.Tests;

public class EngineSchedulingTests
{
    private static readonly ServiceConfig Svc = Service();

    private static VirtualServiceSpec Many(string name, ServiceConfig svc, int count, CheckSchedule? schedule = null) =>
        new(name, svc, [.. Enumerable.Range(1, count).Select(i => RealServer(Rs(i % 250 + 1, 1000 + i), 10, schedule))]);

    [Fact]
    public async Task Phases_ManyChecksSameInterval_FirstRunsSoonThenSpreadOverTheInterval()
    {
        await using var h = new EngineHarness();
        await h.StartAsync(Topo(null, Many("web", Svc, 200)));
        var start = h.Time.GetUtcNow();
        h.Run(2 * Second);
        var byTarget = h.Checks.Runs.GroupBy(r => r.Target).ToList();
        Assert.Equal(200, byTarget.Count);
        // First runs: 200 checks at the first-run rate (2,000/s) all start within 0.1 s, not up to an interval later.
        Assert.All(byTarget, g => Assert.InRange((g.First().At - start).TotalMilliseconds, 0, 105));
        // Then each runs at its phase. At 200 checks/s phases sit on 50 ms slots (the longest; about 16 checks per
        // slot is the aim), so several checks share one wake-up: about 10 per slot, 20 slots over the interval. A
        // herd would put them all in one.
        var second = byTarget.Select(g => g.ElementAt(1).At - start).ToList();
        Assert.All(second, t => Assert.Equal(0, t.TotalMilliseconds % 50, 0.001));
        var perSlot = second.GroupBy(t => t).Select(g => g.Count()).ToList();
        Assert.InRange(perSlot.Count, 18, 21);
        Assert.All(perSlot, n => Assert.InRange(n, 4, 16));
    }

    [Fact]
    public async Task Phases_HighCheckRate_SpreadOnEveryTick()
    {
        await using var h = new EngineHarness();
        // 4,000 checks every second: 16 per slot is reached at one tick (5 ms), so every tick is a slot.
        await h.StartAsync(Topo(null, Many("web", Svc, 4000)));
        var start = h.Time.GetUtcNow();
        h.Run(3 * Second);
        var second = h.Checks.Runs.GroupBy(r => r.Target).Select(g => g.ElementAt(1).At - start).ToList();
        Assert.Equal(4000, second.Count);
        var slots = second.GroupBy(t => t).Select(g => g.Count()).ToList();
        Assert.InRange(slots.Count, 150, 201);
        Assert.All(slots, n => Assert.InRange(n, 1, 50));
    }

    [Fact]
    public async Task FixedRate_EachCheck_RunsExactlyEveryIntervalFromItsPhase()
    {
        await using var h = new EngineHarness();
        await h.StartAsync(Topo(null, Many("web", Svc, 20, Every(0.5))));
        h.Run(5 * Second);
        foreach (var g in h.Checks.Runs.GroupBy(r => r.Target))
        {
            var times = g.Select(r => r.At).ToList();
            Assert.True(times.Count >= 10);
            // From the second run (the phase) on; the first came early, in the first-run window.
            for (var i = 2; i < times.Count; i++)
            {
                Assert.Equal(500, (times[i] - times[i - 1]).TotalMilliseconds, 5.0);
            }
        }
    }

    [Fact]
    public async Task IdenticalChecks_SharedByServices_ProbedOnce()
    {
        await using var h = new EngineHarness();
        var a = VirtualService("a", Service(1), RealServer(Rs(1), 10));
        var b = VirtualService("b", Service(2), RealServer(Rs(1), 20));
        await h.StartAsync(Topo(null, a, b));
        h.Run(10 * Second);
        Assert.Equal(1, h.Checks.Created);
        Assert.InRange(h.Checks.RunsOf(Rs(1)), 9, 11);
        Assert.Equal(1, h.Engine.Counters.UniqueChecks);
        Assert.Equal(2, h.Engine.Counters.CheckSubscriptions);
        h.Checks.Set(Rs(1), pass: false);
        h.Run(3 * Second);
        Assert.Equal(0, h.Weight(Service(1), Rs(1)));
        Assert.Equal(0, h.Weight(Service(2), Rs(1)));
        Assert.Equal(2, h.Row("a", Rs(1)).Checks[0].SharedBy);
    }

    [Fact]
    public async Task DifferentSpecs_SameTarget_ProbedSeparately()
    {
        await using var h = new EngineHarness();
        var a = VirtualService("a", Service(1), RealServer(Rs(1), 10, spec: new TestSpec("tcp")));
        var b = VirtualService("b", Service(2), RealServer(Rs(1), 20, spec: new TestSpec("http")));
        await h.StartAsync(Topo(null, a, b));
        Assert.Equal(2, h.Engine.Counters.UniqueChecks);
    }

    [Fact]
    public async Task PerHostCap_ChecksHang_HeldBackAndCounted()
    {
        await using var h = new EngineHarness();
        var specs = Enumerable.Range(1, 5).Select(p => RealServer(Rs(1, 2000 + p), 10)).ToArray();
        foreach (var s in specs)
        {
            h.Checks.Hang.Add(s.Address);
        }
        await h.StartAsync(Topo(new EngineOptions { MaxInFlightPerHost = 2 }, new VirtualServiceSpec("web", Svc, specs)));
        h.Run(Second);
        Assert.Equal(2, h.Engine.Counters.ChecksInFlight);
        Assert.Equal(3, h.Engine.Counters.ChecksHeldBackPerHost);
        Assert.Equal(2, h.Checks.HungCount);
    }

    [Fact]
    public async Task GlobalCap_FinishedCheck_StartsAHeldOne()
    {
        await using var h = new EngineHarness();
        var specs = Enumerable.Range(1, 4).Select(i => RealServer(Rs(i), 10)).ToArray();
        foreach (var s in specs)
        {
            h.Checks.Hang.Add(s.Address);
        }
        await h.StartAsync(Topo(new EngineOptions { MaxInFlight = 1 }, new VirtualServiceSpec("web", Svc, specs)));
        h.Run(Second);
        Assert.Equal(1, h.Engine.Counters.ChecksInFlight);
        Assert.Equal(3, h.Engine.Counters.ChecksHeldBackGlobal);
        h.Checks.CompleteHung(pass: true);
        await WaitFor(() => h.Engine.Counters.ChecksStarted >= 2, h);
        Assert.Equal(1, h.Engine.Counters.ChecksInFlight);
    }

    [Fact]
    public async Task LagGuard_EngineLate_TimeoutsNotTrustedAndCounted()
    {
        await using var h = new EngineHarness();
        await h.StartAsync(Topo(null, VirtualService("web", Svc, RealServer(Rs(1), 10, Every(1, fall: 1)))));
        h.Run(2 * Second);
        h.Checks.SetFailure(Rs(1), Ipvs.Checks.FailureKind.Timeout);
        // The loop stalls for 3 s (a paused VM, a GC storm): the checks due meanwhile start 1-3 s late.
        h.Time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(10, h.Weight(Svc, Rs(1)));
        Assert.True(h.Engine.Counters.ResultsDistrustedForLag >= 1);
        Assert.Contains(h.Events, e => e.Kind == EngineEventKind.LagGuardEntered);
        Assert.True(h.Engine.Counters.LagMax >= TimeSpan.FromSeconds(1));
        // On time again: the failure now counts.
        h.Run(2 * Second);
        Assert.Equal(0, h.Weight(Svc, Rs(1)));
        Assert.Contains(h.Events, e => e.Kind == EngineEventKind.LagGuardLeft);
    }

    internal static async Task WaitFor(Func<bool> condition, EngineHarness h)
    {
        // Completions of hung probes arrive on the thread pool; each fake tick pumps the loop. Bounded by wall time
        // (generous: a loaded machine may run the completion late), not by a count of 5 ms sleeps.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
            h.Time.Advance(TimeSpan.FromMilliseconds(5));
        }
        Assert.True(condition(), "condition not reached within 30 s");
    }
}
