using Ipvs.Engine;
using Ipvs.Netlink;
using Ipvs.RealKernel.Tests.Support;
using Xunit;

namespace Ipvs.RealKernel.Tests.Engine;

/// <summary>
/// Changes made with ipvsadm behind the engine's back (weight edited, destination deleted, service deleted, the
/// whole table flushed) on the real kernel: ignored, reverted or adopted per the drift policy within one
/// reconcile interval (plus the margin), one log line per change, and entries not in the config left alone.
/// </summary>
public sealed class EngineDriftKernelTests : EngineKernelTest
{
    private static readonly ServiceConfig Web = Tcp("10.97.1.1", 80);

    private TestRealServer _r1 = null!;
    private TestRealServer _r2 = null!;

    private async Task Started(DriftPolicy policy)
    {
        _r1 = Server("127.0.97.11", 18011);
        _r2 = Server("127.0.97.12", 18012);
        await StartEngine(new Topology([new VirtualServiceSpec("web", Web, [Rs(_r1, 10), Rs(_r2, 20)])], Options(policy)));
        WaitForWeights(StartDeadline, (Web, _r1, 10), (Web, _r2, 20));
        // Not ours: a foreign service, and a foreign destination inside our service.
        Ipvsadm.Run(["-R"], """
            -A -t 10.97.9.9:80 -s rr
            -a -t 10.97.9.9:80 -r 127.0.97.9:80 -m -w 4
            -a -t 10.97.1.1:80 -r 127.0.97.8:80 -m -w 2

            """).EnsureSuccess();
    }

    /// <summary>One ipvsadm run: r1's weight edited to 3 and r2 deleted.</summary>
    private void EditBehindItsBack() => Ipvsadm.Run(["-R"], """
        -e -t 10.97.1.1:80 -r 127.0.97.11:18011 -m -w 3
        -d -t 10.97.1.1:80 -r 127.0.97.12:18012

        """).EnsureSuccess();

    /// <summary>Within one reconcile interval: a full read happens at most one interval after the change.</summary>
    private static TimeSpan OneInterval => ReconcileInterval + Margin;

    private void AssertForeignEntriesKept()
    {
        var saved = Ipvsadm.SaveLines();
        Assert.Contains("-a -t 10.97.9.9:80 -r 127.0.97.9:80 -m -w 4", saved);
        Assert.Contains("-a -t 10.97.1.1:80 -r 127.0.97.8:80 -m -w 2", saved);
    }

    private int DriftLogLines => Logs.Count("changed behind our back");

    [Fact]
    public async Task Revert_IpvsadmEditsDeletesAndFlushes_OursRestoredWithinOneInterval()
    {
        await Started(DriftPolicy.Revert);

        EditBehindItsBack();
        var t = WaitForWeights(OneInterval, (Web, _r1, 10), (Web, _r2, 20));
        Output?.WriteLine($"weight edit + destination delete reverted after {t.TotalMilliseconds:0} ms");
        Assert.Equal(2, Engine.Counters.DriftFound);
        AssertForeignEntriesKept();

        Ipvsadm.RunChecked("-D", "-t", "10.97.1.1:80");
        t = WaitForWeights(OneInterval, (Web, _r1, 10), (Web, _r2, 20));
        Output?.WriteLine($"service delete reverted after {t.TotalMilliseconds:0} ms");
        Assert.True(Kernel.HasService(Tcp("10.97.9.9", 80).Key));

        Ipvsadm.Clear();
        t = WaitForWeights(OneInterval, (Web, _r1, 10), (Web, _r2, 20));
        Output?.WriteLine($"ipvsadm -C reverted after {t.TotalMilliseconds:0} ms");
        Assert.Contains("-A -t 10.97.1.1:80 -s wlc", Ipvsadm.SaveLines());
        // The flush took the foreign service with it; the engine does not bring back what is not its own.
        Assert.False(Kernel.HasService(Tcp("10.97.9.9", 80).Key));

        AssertNoEditsWhileSteady(2);
        Assert.Equal(4, Engine.Counters.DriftFound);
        Assert.Equal(4, DriftLogLines);
        Assert.Equal(0, Engine.Counters.KernelErrors);
    }

    [Fact]
    public async Task Ignore_IpvsadmEditsAndDeletes_LeftUntilOurNextChange()
    {
        await Started(DriftPolicy.Ignore);

        EditBehindItsBack();
        Poll.Until(() => Engine.Counters.DriftFound == 2, OneInterval, () => $"drift found {Engine.Counters.DriftFound}");
        AssertNoEditsWhileSteady(2);
        WaitForWeights(TimeSpan.Zero, (Web, _r1, 3), (Web, _r2, null));

        // Our next change of r1 (down, then up again) ends the ignored drift: ours counts again.
        _r1.Stop();
        WaitForWeights(Interval * Fall + Margin, (Web, _r1, 0));
        _r1.Start();
        WaitForWeights(Interval * Rise + Margin, (Web, _r1, 10));

        Ipvsadm.RunChecked("-D", "-t", "10.97.1.1:80");
        Poll.Until(() => Engine.Counters.DriftFound == 3, OneInterval, () => $"drift found {Engine.Counters.DriftFound}");
        AssertNoEditsWhileSteady(2);
        Assert.False(Kernel.HasService(Web.Key));

        // Our next change in the service (r2 goes down) puts the service back, with our view of it.
        _r2.Stop();
        WaitForWeights(Interval * Fall + Margin, (Web, _r1, 10), (Web, _r2, 0));
        Assert.Equal(3, DriftLogLines);
        Assert.Equal(0, Engine.Counters.KernelErrors);
    }

    [Fact]
    public async Task Adopt_IpvsadmEditsAndDeletes_BecomeAdminState()
    {
        await Started(DriftPolicy.Adopt);

        EditBehindItsBack();
        Poll.Until(() => Engine.Counters.DriftFound == 2, OneInterval, () => $"drift found {Engine.Counters.DriftFound}");
        var rows = Engine.Snapshot().VirtualServices.Single().RealServers;
        var r1 = rows.Single(r => r.Address.Equals(_r1.EndPoint));
        var r2 = rows.Single(r => r.Address.Equals(_r2.EndPoint));
        Assert.Equal((3, AdminState.Ready, "ipvsadm (adopted)"), (r1.WeightOverride, r1.Admin, r1.AdminBy));
        Assert.Equal((AdminState.Maintenance, "ipvsadm (adopted)"), (r2.Admin, r2.AdminBy));
        Assert.Contains(Store.Load(), a => a.WeightOverride == 3);
        AssertNoEditsWhileSteady(2);
        WaitForWeights(TimeSpan.Zero, (Web, _r1, 3), (Web, _r2, null));
        AssertForeignEntriesKept();

        // A deleted service cannot be adopted: it is restored, with the adopted admin state applied.
        Ipvsadm.RunChecked("-D", "-t", "10.97.1.1:80");
        var t = WaitForWeights(OneInterval, (Web, _r1, 3), (Web, _r2, null));
        Output?.WriteLine($"service delete restored (adopted state kept) after {t.TotalMilliseconds:0} ms");
        Assert.True(Kernel.HasService(Tcp("10.97.9.9", 80).Key));
        Assert.Equal(3, DriftLogLines);
        Assert.Equal(0, Engine.Counters.KernelErrors);
    }
}
