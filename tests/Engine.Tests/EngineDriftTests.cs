using Ipvs.Netlink;
using static Ipvs.Engine.Tests.EngineHarness;

namespace Ipvs.Engine.Tests;

public class EngineDriftTests
{
    private static readonly ServiceConfig Svc = Service();

    private static DestinationConfig Dest(int i, int weight) => new(Rs(i).Address, 80, ForwardMethod.Route, weight);

    private static async Task<EngineHarness> Started(DriftPolicy policy)
    {
        var h = new EngineHarness();
        await h.StartAsync(Topo(new EngineOptions { Drift = policy, ReconcileInterval = TimeSpan.FromSeconds(5) },
            VirtualService("web", Svc, RealServer(Rs(1), 10, Every(1, rise: 1, fall: 1)), RealServer(Rs(2), 10, Every(1, rise: 1, fall: 1)))));
        h.Run(Second);
        return h;
    }

    [Fact]
    public async Task Revert_OperatorEditsWeight_RestoredAtNextFullRead()
    {
        await using var h = await Started(DriftPolicy.Revert);
        h.Ipvsadm(IpvsEdit.EditDestination(Svc.Key, Dest(1, 3)));
        h.Run(5.5 * Second);
        Assert.Equal(10, h.Weight(Svc, Rs(1)));
        var e = h.Events.Single(x => x.Kind == EngineEventKind.DriftDetected);
        Assert.Equal(("weight 10", "weight 3", "reverted"), (e.From, e.To, e.Why));
        Assert.Equal(1, h.Engine.Counters.DriftFound);
    }

    [Fact]
    public async Task Revert_OperatorClearsTable_ServiceRestored()
    {
        await using var h = await Started(DriftPolicy.Revert);
        h.Ipvsadm(IpvsEdit.DeleteService(Svc.Key));
        h.Run(5.5 * Second);
        Assert.Equal(10, h.Weight(Svc, Rs(1)));
        Assert.Equal(10, h.Weight(Svc, Rs(2)));
    }

    [Fact]
    public async Task Ignore_OperatorEditsWeight_LeftUntilOurNextChange()
    {
        await using var h = await Started(DriftPolicy.Ignore);
        h.Ipvsadm(IpvsEdit.EditDestination(Svc.Key, Dest(1, 3)));
        h.Run(12 * Second);
        Assert.Equal(3, h.Weight(Svc, Rs(1)));
        Assert.Equal(1, h.Engine.Counters.DriftFound);
        h.Checks.Set(Rs(1), pass: false);
        h.Run(Second);
        Assert.Equal(0, h.Weight(Svc, Rs(1)));
        h.Checks.Set(Rs(1), pass: true);
        h.Run(Second);
        Assert.Equal(10, h.Weight(Svc, Rs(1)));
    }

    [Fact]
    public async Task Adopt_OperatorSetsWeight_BecomesOverride()
    {
        await using var h = await Started(DriftPolicy.Adopt);
        h.Ipvsadm(IpvsEdit.EditDestination(Svc.Key, Dest(1, 3)));
        h.Run(5.5 * Second);
        Assert.Equal(3, h.Weight(Svc, Rs(1)));
        var row = h.Row("web", Rs(1));
        Assert.Equal((3, "ipvsadm (adopted)"), (row.WeightOverride, row.AdminBy));
        Assert.Contains(h.Store.Load(), r => r.WeightOverride == 3);
        h.Run(10 * Second);
        Assert.Equal(3, h.Weight(Svc, Rs(1)));
    }

    [Fact]
    public async Task Adopt_OperatorSetsZero_BecomesDrainThatHealthDoesNotUndo()
    {
        await using var h = await Started(DriftPolicy.Adopt);
        h.Ipvsadm(IpvsEdit.EditDestination(Svc.Key, Dest(2, 0)));
        h.Run(11 * Second);
        Assert.Equal(0, h.Weight(Svc, Rs(2)));
        Assert.Equal(AdminState.Drain, h.Row("web", Rs(2)).Admin);
    }

    [Fact]
    public async Task Adopt_OperatorDeletesDestination_BecomesMaintenance()
    {
        await using var h = await Started(DriftPolicy.Adopt);
        h.Ipvsadm(IpvsEdit.DeleteDestination(Svc.Key, Dest(2, 0)));
        h.Run(11 * Second);
        Assert.Null(h.Weight(Svc, Rs(2)));
        Assert.Equal(AdminState.Maintenance, h.Row("web", Rs(2)).Admin);
    }

    [Fact]
    public async Task EditRace_DestinationDeletedUnderUs_ReReadAndConvergeQuietly()
    {
        await using var h = await Started(DriftPolicy.Revert);
        // Someone removes rs1 just before our next change to it: our EditDestination meets ENOENT.
        h.Ipvsadm(IpvsEdit.DeleteDestination(Svc.Key, Dest(1, 0)));
        h.Checks.Set(Rs(1), pass: false);
        h.Run(Second);
        Assert.Equal(0, h.Weight(Svc, Rs(1)));
        Assert.True(h.Engine.Counters.KernelConverged >= 1);
        Assert.Equal(0, h.Engine.Counters.KernelErrors);
        Assert.DoesNotContain(h.Events, e => e.Kind == EngineEventKind.KernelEditFailed);
    }

    [Fact]
    public async Task EditRace_DestinationAddedUnderUs_Eexist_Converges()
    {
        await using var h = new EngineHarness();
        h.Checks.Set(Rs(1), pass: false);
        await h.StartAsync(Topo(new EngineOptions { ReadinessGate = TimeSpan.FromSeconds(1) }, VirtualService("web", Svc, RealServer(Rs(1), 10, Every(1, rise: 1, fall: 1)))));
        h.Run(1.2 * Second);
        Assert.Equal(0, h.Weight(Svc, Rs(1)));
        h.Ipvsadm(IpvsEdit.DeleteDestination(Svc.Key, Dest(1, 0)));
        h.Checks.Set(Rs(1), pass: true);
        h.Ipvsadm(IpvsEdit.AddDestination(Svc.Key, Dest(1, 1)));
        h.Run(2 * Second);
        Assert.Equal(10, h.Weight(Svc, Rs(1)));
    }

    [Fact]
    public async Task KernelRefusesEdit_LoggedOnceNotEveryPass()
    {
        await using var h = new EngineHarness();
        // A weight the kernel refuses (negative after an exec check reports it): ERANGE.
        h.Checks.Set(Rs(1), pass: true, weight: -5);
        await h.StartAsync(Topo(new EngineOptions { ReconcileInterval = TimeSpan.FromSeconds(1) }, VirtualService("web", Svc, RealServer(Rs(1), 10))));
        h.Run(10 * Second);
        Assert.Single(h.Events, e => e.Kind == EngineEventKind.KernelEditFailed);
        Assert.InRange(h.Engine.Counters.KernelErrors, 2, 12);
    }
}
