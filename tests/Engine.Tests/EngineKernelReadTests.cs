using Ipvs.Netlink;
using static Ipvs.Engine.Tests.EngineHarness;

namespace Ipvs.Engine.Tests;

/// <summary>
/// The periodic full read of the kernel table: on the system clock it runs off the engine's loop, so due checks
/// never wait behind a slow dump; a read overtaken by our own batch skips the services that batch edited (never
/// taking our own edit for drift) and takes in the rest; and a read that finds nothing to change costs no reconcile pass.
/// </summary>
public class EngineKernelReadTests
{
    private static readonly ServiceConfig Svc = Service();
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static DestinationConfig Dest(int i, int weight) => new(Rs(i).Address, 80, ForwardMethod.Route, weight);

    private static readonly ServiceConfig Svc2 = Service(2);

    /// <summary>An engine on the real clock (its own driver thread), 0.1 s checks, reads every 0.3 s.</summary>
    private static async Task<(HealthEngine Engine, GatedTable Table, ScriptedChecks Checks)> StartOnSystemClock(bool twoServices = false)
    {
        var table = new GatedTable();
        var checks = new ScriptedChecks(TimeProvider.System);
        var engine = new HealthEngine(table, new InMemoryAdminStateStore(), checks, TimeProvider.System);
        var web = VirtualService("web", Svc, RealServer(Rs(1), 10, Every(0.1, rise: 1, fall: 1)), RealServer(Rs(2), 10, Every(0.1, rise: 1, fall: 1)));
        var options = new EngineOptions { ReconcileInterval = TimeSpan.FromMilliseconds(300) };
        engine.ApplyTopology(twoServices
            ? Topo(options, web, VirtualService("api", Svc2, RealServer(Rs(3), 10, Every(0.1, rise: 1, fall: 1))))
            : Topo(options, web));
        await engine.StartAsync();
        await Until(() => table.Inner.WeightOf(Svc.Key, Rs(1)) == 10 && table.Inner.WeightOf(Svc.Key, Rs(2)) == 10
            && (!twoServices || table.Inner.WeightOf(Svc2.Key, Rs(3)) == 10), "every realserver in at weight 10");
        return (engine, table, checks);
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, $"not within {Deadline.TotalSeconds} s: {what}");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task FullRead_DumpHeld_ChecksKeepRunningAndDriftRevertedAfter()
    {
        var (engine, table, _) = await StartOnSystemClock();
        await using var _e = engine;
        table.Hold();
        await Until(() => table.Waiting == 1, "a full read waiting at the gate");
        var started = engine.Counters.ChecksStarted;
        // Both realservers are checked every 0.1 s: 20 more starts mean the loop ran on for ~1 s behind the dump.
        await Until(() => engine.Counters.ChecksStarted >= started + 20, "checks started while the dump is held");
        Assert.Equal(1, table.Waiting);

        var edit = new IpvsEditResult[1];
        table.Inner.Apply([IpvsEdit.EditDestination(Svc.Key, Dest(1, 3))], edit);
        Assert.True(edit[0].Succeeded);
        table.Release();
        await Until(() => table.Inner.WeightOf(Svc.Key, Rs(1)) == 10, "the operator's weight 3 reverted to 10");
        Assert.Equal(1, engine.Counters.DriftFound);
    }

    [Fact]
    public async Task FullRead_OurBatchWentOutWhileHeld_EditedServiceSkippedNoDrift()
    {
        var (engine, table, checks) = await StartOnSystemClock();
        await using var _e = engine;
        table.Hold();
        await Until(() => table.Waiting == 1, "a full read waiting at the gate");
        var reads = engine.Counters.FullReads;
        checks.Set(Rs(2), pass: false);
        await Until(() => table.Inner.WeightOf(Svc.Key, Rs(2)) == 0, "the failed realserver at weight 0");
        table.Release();
        await Until(() => engine.Counters.KernelReadsOvertaken >= 1, "the held read overtaken by our batch");
        await Until(() => engine.Counters.FullReads > reads, "the read taken in");
        Assert.Equal(0, engine.Counters.DriftFound);
        Assert.Equal(0, table.Inner.WeightOf(Svc.Key, Rs(2)));
        Assert.Equal(10, table.Inner.WeightOf(Svc.Key, Rs(1)));
    }

    [Fact]
    public async Task FullRead_OvertakenByBatchOnOtherService_DriftInUntouchedServiceFoundFromThatRead()
    {
        var (engine, table, checks) = await StartOnSystemClock(twoServices: true);
        await using var _e = engine;
        table.Hold();
        await Until(() => table.Waiting == 1, "a full read waiting at the gate");
        // An operator's edit on "api", then our own batch on "web", both while the dump is held.
        var edit = new IpvsEditResult[1];
        table.Inner.Apply([IpvsEdit.EditDestination(Svc2.Key, Dest(3, 4))], edit);
        Assert.True(edit[0].Succeeded);
        checks.Set(Rs(2), pass: false);
        await Until(() => table.Inner.WeightOf(Svc.Key, Rs(2)) == 0, "our batch on web applied");
        // Only the held read goes through; later ones wait at the gate, so the drift can only be found by the read
        // our batch overtook, taken in for "api".
        table.ReleaseOne();
        await Until(() => engine.Counters.DriftFound == 1, "the drift on api found by the overtaken read");
        Assert.True(engine.Counters.KernelReadsOvertaken >= 1);
        await Until(() => table.Inner.WeightOf(Svc2.Key, Rs(3)) == 10, "the operator's weight 4 reverted to 10");
        Assert.Equal(0, table.Inner.WeightOf(Svc.Key, Rs(2)));
        table.Release();
    }

    [Fact]
    public async Task FullRead_OvertakenRepeatedly_NeverTakenInThePass()
    {
        var (engine, table, checks) = await StartOnSystemClock();
        await using var _e = engine;
        table.Hold();
        for (var i = 1; i <= 4; i++)
        {
            await Until(() => table.Waiting == 1, $"read {i} waiting at the gate");
            var up = i % 2 == 0;
            checks.Set(Rs(2), pass: up);
            await Until(() => table.Inner.WeightOf(Svc.Key, Rs(2)) == (up ? 10 : 0), $"our batch {i} applied");
            table.ReleaseOne();
            await Until(() => engine.Counters.KernelReadsOvertaken >= i, $"read {i} overtaken");
        }
        // However often reads were overtaken, the next one still runs off the loop: checks go on while it is held.
        await Until(() => table.Waiting == 1, "a later read waiting at the gate");
        var started = engine.Counters.ChecksStarted;
        await Until(() => engine.Counters.ChecksStarted >= started + 20, "checks started while that read is held");
        Assert.Equal(1, table.Waiting);
        table.Release();
        Assert.Equal(0, engine.Counters.DriftFound);
    }

    [Fact]
    public async Task FullRead_KernelMatches_NoReconcilePass()
    {
        await using var h = new EngineHarness();
        await h.StartAsync(Topo(new EngineOptions { ReconcileInterval = TimeSpan.FromSeconds(1) },
            VirtualService("web", Svc, RealServer(Rs(1), 10, Every(1, rise: 1, fall: 1)), RealServer(Rs(2), 10, Every(1, rise: 1, fall: 1)))));
        h.Run(2 * Second);
        var (reads, passes) = (h.Engine.Counters.FullReads, h.Engine.Counters.ReconcilePasses);
        h.Run(5 * Second);
        Assert.True(h.Engine.Counters.FullReads >= reads + 4, $"full reads {reads} -> {h.Engine.Counters.FullReads}");
        Assert.Equal(passes, h.Engine.Counters.ReconcilePasses);

        h.Ipvsadm(IpvsEdit.EditDestination(Svc.Key, Dest(2, 4)));
        h.Run(1.5 * Second);
        Assert.Equal(10, h.Weight(Svc, Rs(2)));
        Assert.True(h.Engine.Counters.ReconcilePasses > passes);
    }

    [Fact]
    public async Task MassFailureGuard_WindowPasses_HeldChangeAppliedAtLaterRead()
    {
        await using var h = new EngineHarness();
        var rss = Enumerable.Range(1, 10).Select(i => RealServer(Rs(i), 10, Every(1, fall: 1))).ToArray();
        await h.StartAsync(Topo(new EngineOptions { ReconcileInterval = TimeSpan.FromSeconds(1) },
            new VirtualServiceSpec("web", Svc, rss, MassFailureShare: 0.3)));
        h.Run(Second);
        h.Checks.SetAll(rss.Take(3).Select(r => r.Address), pass: false);
        h.Run(1.1 * Second);
        Assert.Equal(3, rss.Count(r => h.Weight(Svc, r.Address) == 0));
        // Two more now: with the 3 taken out within the guard window that is more than the 3 allowed: held...
        h.Checks.SetAll(rss.Skip(3).Take(2).Select(r => r.Address), pass: false);
        h.Run(1.1 * Second);
        Assert.Equal(3, rss.Count(r => h.Weight(Svc, r.Address) == 0));
        Assert.Single(h.Events, e => e.Kind == EngineEventKind.MassFailureHeld);
        // ...until the window (interval x (fall + 1) = 2 s) has passed for the first two: no new result changes
        // anything, so only the periodic read can let them go.
        h.Run(4 * Second);
        Assert.Equal(5, rss.Count(r => h.Weight(Svc, r.Address) == 0));
        Assert.Single(h.Events, e => e.Kind == EngineEventKind.MassFailureReleased);
    }
}
