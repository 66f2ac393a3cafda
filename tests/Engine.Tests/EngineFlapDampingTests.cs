using Ipvs.Netlink;
using static Ipvs.Engine.Tests.EngineHarness;

namespace Ipvs.Engine.Tests;

public class EngineFlapDampingTests
{
    private static readonly ServiceConfig Svc = Service();

    private static RealServerSpec Damped(FlapDamping damping) =>
        RealServer(Rs(1), 10, Every(1, rise: 1, fall: 1)) with { FlapDamping = damping };

    /// <summary>Down for one second, then up for one second, <paramref name="cycles"/> times.</summary>
    private static void Flap(EngineHarness h, int cycles)
    {
        for (var i = 0; i < cycles; i++)
        {
            h.Checks.Set(Rs(1), pass: false);
            h.Run(Second);
            h.Checks.Set(Rs(1), pass: true);
            h.Run(Second);
        }
    }

    [Fact]
    public async Task Recovery_AfterTooManyFailuresInWindow_StaysOutUntilHoldPasses()
    {
        await using var h = new EngineHarness();
        await h.StartAsync(Topo(null, VirtualService("web", Svc, Damped(new FlapDamping(3, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30))))));
        h.Run(Second);
        Assert.Equal(10, h.Weight(Svc, Rs(1)));

        Flap(h, 2);
        Assert.Equal(10, h.Weight(Svc, Rs(1))); // two failures: still below the limit, back in at once
        Flap(h, 1);
        Assert.Equal(0, h.Weight(Svc, Rs(1))); // the third recovery within the window is held
        var row = h.Row("web", Rs(1));
        Assert.True(row.FlapDamped);
        Assert.NotNull(row.FlapDampedUntil);
        Assert.Single(h.Events, e => e.Kind == EngineEventKind.FlapDampingStarted);

        h.Run(25 * Second);
        Assert.Equal(0, h.Weight(Svc, Rs(1)));
        h.Run(10 * Second);
        Assert.Equal(10, h.Weight(Svc, Rs(1)));
        Assert.False(h.Row("web", Rs(1)).FlapDamped);
        Assert.Single(h.Events, e => e.Kind == EngineEventKind.FlapDampingEnded);
        Assert.Equal(1, h.Engine.Counters.FlapHolds);
    }

    [Fact]
    public async Task FailureDuringHold_RestartsHoldAtNextRecovery()
    {
        await using var h = new EngineHarness();
        await h.StartAsync(Topo(null, VirtualService("web", Svc, Damped(new FlapDamping(2, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(20))))));
        h.Run(Second);
        Flap(h, 2); // held from the second recovery
        Assert.Equal(0, h.Weight(Svc, Rs(1)));
        h.Run(15 * Second);
        Flap(h, 1); // fails 15 s into the hold, recovers: a new 20 s hold from here
        Assert.True(h.Row("web", Rs(1)).FlapDamped);
        h.Run(15 * Second);
        Assert.Equal(0, h.Weight(Svc, Rs(1))); // the first hold would have ended by now
        h.Run(6 * Second);
        Assert.Equal(10, h.Weight(Svc, Rs(1)));
        Assert.Single(h.Events, e => e.Kind == EngineEventKind.FlapDampingStarted); // one alertable event per hold
    }

    [Fact]
    public async Task FailuresSpreadWiderThanWindow_NeverDamped()
    {
        await using var h = new EngineHarness();
        await h.StartAsync(Topo(null, VirtualService("web", Svc, Damped(new FlapDamping(3, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30))))));
        h.Run(Second);
        for (var i = 0; i < 5; i++)
        {
            Flap(h, 1);
            h.Run(4 * Second); // one failure every 6 s: at most two within any 10 s
            Assert.Equal(10, h.Weight(Svc, Rs(1)));
        }
        Assert.DoesNotContain(h.Events, e => e.Kind == EngineEventKind.FlapDampingStarted);
    }

    [Fact]
    public async Task ReloadWithoutDamping_EndsHoldAtOnce()
    {
        await using var h = new EngineHarness();
        await h.StartAsync(Topo(null, VirtualService("web", Svc, Damped(new FlapDamping(1, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5))))));
        h.Run(Second);
        Flap(h, 1);
        Assert.Equal(0, h.Weight(Svc, Rs(1)));

        h.Engine.ApplyTopology(Topo(null, VirtualService("web", Svc, RealServer(Rs(1), 10, Every(1, rise: 1, fall: 1)))));
        h.Run(Second);
        Assert.Equal(10, h.Weight(Svc, Rs(1)));
        Assert.False(h.Row("web", Rs(1)).FlapDamped);
    }
}
