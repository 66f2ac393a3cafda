using Ipvs.Netlink;
using static Ipvs.Engine.Tests.EngineHarness;

namespace Ipvs.Engine.Tests;

/// <summary>Quorum and the sorry server as keepalived applies them, so that an imported keepalived.conf gives the same table.</summary>
public class EngineQuorumTests
{
    private static readonly ServiceConfig Svc = Service();
    private static readonly DestinationConfig Sorry = new(System.Net.IPAddress.Parse("10.0.9.9"), 80, ForwardMethod.Masquerade, 1);

    [Fact]
    public async Task FirstVerdict_LiveBetweenQuorumMinusAndPlusHysteresis_Met()
    {
        await using var h = new EngineHarness();
        var rss = Enumerable.Range(1, 4).Select(i => RealServer(Rs(i), 10, Every(1, rise: 1, fall: 1))).ToArray();
        h.Checks.Set(Rs(3), pass: false);
        h.Checks.Set(Rs(4), pass: false);
        // quorum 25 ± 5, all the weight (40) meets 30: the start counts as met, lost only below 20; 20 are live
        await h.StartAsync(Topo(null, new VirtualServiceSpec("web", Svc, rss, Quorum: 25, QuorumHysteresis: 5, SorryServer: Sorry)));
        h.Run(2 * Second);

        Assert.Equal(QuorumState.Met, h.Engine.Snapshot().VirtualServices[0].Quorum);
        Assert.Null(h.Weight(Svc, Sorry.EndPoint));
        Assert.Equal(10, h.Weight(Svc, Rs(1)));
    }

    [Fact]
    public async Task FirstVerdict_AllWeightBelowQuorumPlusHysteresis_LostEvenWithAllUp()
    {
        await using var h = new EngineHarness();
        var rss = Enumerable.Range(1, 2).Select(i => RealServer(Rs(i), 1, Every(1, rise: 1, fall: 1))).ToArray();
        // quorum 2 ± 1 with weights 1 + 1: it could never be met again after a loss, and keepalived starts it lost
        await h.StartAsync(Topo(null, new VirtualServiceSpec("web", Svc, rss, Quorum: 2, QuorumHysteresis: 1, SorryServer: Sorry)));
        h.Run(2 * Second);

        Assert.Equal(QuorumState.Lost, h.Engine.Snapshot().VirtualServices[0].Quorum);
        Assert.Equal(1, h.Weight(Svc, Sorry.EndPoint));
        Assert.Equal(0, h.Weight(Svc, Rs(1)));
    }

    [Fact]
    public async Task SorryActive_OnFailureRemove_LiveRealServersLeaveTheTable()
    {
        await using var h = new EngineHarness();
        var rss = new[]
        {
            RealServer(Rs(1), 3, Every(1, rise: 1, fall: 1), OnFailure.Remove),
            RealServer(Rs(2), 2, Every(1, rise: 1, fall: 1), OnFailure.Remove),
            RealServer(Rs(3), 2, Every(1, rise: 1, fall: 1), OnFailure.Quiesce),
        };
        await h.StartAsync(Topo(null, new VirtualServiceSpec("web", Svc, rss, Quorum: 6, SorryServer: Sorry)));
        h.Run(2 * Second);
        Assert.Null(h.Weight(Svc, Sorry.EndPoint));

        h.Checks.Set(Rs(2), pass: false);
        h.Run(2 * Second);

        // live 5 < 6: the sorry server comes in; Rs(1) is live but leaves as a failed one would (removed), Rs(3)
        // stays at weight 0 (quiesce); the failed Rs(2) is removed
        Assert.Equal(1, h.Weight(Svc, Sorry.EndPoint));
        Assert.Null(h.Weight(Svc, Rs(1)));
        Assert.Null(h.Weight(Svc, Rs(2)));
        Assert.Equal(0, h.Weight(Svc, Rs(3)));

        h.Checks.Set(Rs(2), pass: true);
        h.Run(2 * Second);
        Assert.Null(h.Weight(Svc, Sorry.EndPoint));
        Assert.Equal(3, h.Weight(Svc, Rs(1)));
        Assert.Equal(2, h.Weight(Svc, Rs(3)));
    }
}
