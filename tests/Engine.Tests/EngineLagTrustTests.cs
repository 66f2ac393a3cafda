using Ipvs.Checks;
using Ipvs.Netlink;
using static Ipvs.Engine.Tests.EngineHarness;

namespace Ipvs.Engine.Tests;

/// <summary>
/// While the engine lags, a failure its lateness cannot cause counts and a timeout does not; a streak of distrusted
/// timeouts gets one re-check, once the engine is on time again and never during the lag. The lag is made in virtual
/// time: the clock jumps 2 s at once while a 1 s check keeps starting 1–2 s late, so the guard stays in force.
/// </summary>
public class EngineLagTrustTests
{
    private static readonly ServiceConfig Svc = Service();

    /// <summary>Rs(1) is the check under test; Rs(2) passes every second and keeps the lag guard informed.</summary>
    private static async Task<EngineHarness> StartedAsync(CheckSchedule schedule)
    {
        var h = new EngineHarness();
        await h.StartAsync(Topo(null, VirtualService("web", Svc, RealServer(Rs(1), 10, schedule), RealServer(Rs(2), 10, Every(1, rise: 1)))));
        h.Run(12 * Second);
        Assert.Equal(10, h.Weight(Svc, Rs(1)));
        return h;
    }

    /// <summary>One 2 s jump of the clock: the checks due within it start up to 2 s late.</summary>
    private static void Stall(EngineHarness h) => h.Time.Advance(2 * Second);

    [Fact]
    public async Task Refused_WhileLagging_CountsAtOnce()
    {
        await using var h = await StartedAsync(Every(1, rise: 1, fall: 1));
        h.Checks.Set(Rs(1), pass: false);
        Stall(h);
        Stall(h);
        Assert.Contains(h.Events, e => e.Kind == EngineEventKind.LagGuardEntered);
        Assert.DoesNotContain(h.Events, e => e.Kind == EngineEventKind.LagGuardLeft);
        // Taken down during the lag: an RST is the server's, whatever the checker's delay.
        Assert.Equal(0, h.Weight(Svc, Rs(1)));
        Assert.Equal(0, h.Engine.Counters.ResultsDistrustedForLag);
        Assert.True(h.Engine.Counters.TrustedWhileLaggingBy(FailureKind.Refused) >= 1);
    }

    [Theory]
    [InlineData(FailureKind.WrongAnswer)]
    [InlineData(FailureKind.Unreachable)]
    [InlineData(FailureKind.ExitCode)]
    [InlineData(FailureKind.Tls)]
    [InlineData(FailureKind.ProtocolError)]
    public async Task ServerSideFailure_WhileLagging_Counts(FailureKind kind)
    {
        await using var h = await StartedAsync(Every(1, rise: 1, fall: 1));
        h.Checks.SetFailure(Rs(1), kind, "status 503");
        Stall(h);
        Stall(h);
        Assert.DoesNotContain(h.Events, e => e.Kind == EngineEventKind.LagGuardLeft);
        Assert.Equal(0, h.Weight(Svc, Rs(1)));
        Assert.Equal(0, h.Engine.Counters.ResultsDistrustedForLag);
    }

    [Theory]
    [InlineData(FailureKind.Timeout)]
    [InlineData(FailureKind.DeadlineCutShort)]
    [InlineData(FailureKind.Unclassified)]
    public async Task Timeout_WhileLagging_NotCountedAndCountedByKind(FailureKind kind)
    {
        await using var h = await StartedAsync(Every(1, rise: 1, fall: 1));
        h.Checks.SetFailure(Rs(1), kind);
        for (var i = 0; i < 4; i++)
        {
            Stall(h);
        }
        Assert.DoesNotContain(h.Events, e => e.Kind == EngineEventKind.LagGuardLeft);
        Assert.Equal(10, h.Weight(Svc, Rs(1)));
        Assert.True(h.Engine.Counters.DistrustedBy(kind) >= 3);
        Assert.Equal(h.Engine.Counters.ResultsDistrustedForLag, h.Engine.Counters.DistrustedBy(kind));
        Assert.Equal(0, h.Engine.Counters.DistrustedRechecks);
    }

    [Fact]
    public async Task Recheck_DistrustedStreak_OnceAfterTheLagNeverDuringIt()
    {
        await using var h = await StartedAsync(Every(10, rise: 1, fall: 1));
        var before = h.Checks.RunsOf(Rs(1));
        h.Checks.SetFailure(Rs(1), FailureKind.Timeout);
        // Lag across two regular runs of Rs(1), then one more jump: two distrusted timeouts in one streak.
        var stalls = 0;
        while (h.Checks.RunsOf(Rs(1)) < before + 2 && stalls < 20)
        {
            Stall(h);
            stalls++;
        }
        Stall(h);
        Assert.Equal(before + 2, h.Checks.RunsOf(Rs(1)));
        var runs = h.Checks.Runs.Where(r => r.Target.Equals(Rs(1))).Select(r => r.At).ToList();
        // No run in between: the two were the regular ones, an interval apart (no re-check fed the lag).
        Assert.InRange((runs[^1] - runs[^2]).TotalSeconds, 9, 12);
        Assert.Equal(2, h.Engine.Counters.DistrustedBy(FailureKind.Timeout));
        Assert.Equal(0, h.Engine.Counters.DistrustedRechecks);
        Assert.Equal(10, h.Weight(Svc, Rs(1)));
        Assert.DoesNotContain(h.Events, e => e.Kind == EngineEventKind.LagGuardLeft);

        // On time again: Rs(2)'s next start leaves the guard, and the streak gets its one re-check right after,
        // long before Rs(1)'s next regular run; on time, its timeout counts and takes Rs(1) down (fall 1).
        h.Run(1.5 * Second);
        var left = Assert.Single(h.Events, e => e.Kind == EngineEventKind.LagGuardLeft);
        Assert.Equal(before + 3, h.Checks.RunsOf(Rs(1)));
        var recheck = h.Checks.Runs.Last(r => r.Target.Equals(Rs(1))).At;
        Assert.True(recheck >= left.At, $"re-check at {recheck:O} before the guard was left at {left.At:O}");
        Assert.Equal(1, h.Engine.Counters.DistrustedRechecks);
        Assert.Equal(0, h.Weight(Svc, Rs(1)));
        Assert.Equal(2, h.Engine.Counters.ResultsDistrustedForLag);

        // Once per streak: nothing more until Rs(1)'s regular run.
        h.Run(3 * Second);
        Assert.Equal(before + 3, h.Checks.RunsOf(Rs(1)));
        Assert.Equal(1, h.Engine.Counters.DistrustedRechecks);
    }
}
