using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Ipvs.Bench.SideBySide;
using Ipvs.Checks;
using Ipvs.Daemon.Tests.Web;
using Ipvs.Daemon.Web;
using Ipvs.Engine;
using Ipvs.Netlink;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Ipvs.Daemon.Tests.Faults;

/// <summary>
/// The checker starved of CPU, as the bench's <c>starved</c> scenario does it (its <see cref="Starvation"/> burners:
/// one busy process pinned on each core, ended by <c>timeout</c> even if this process dies, killed at the end), with
/// the engine's scheduler and epoll threads in the SCHED_IDLE class so the burners win. Real TCP checks every 200 ms with
/// fall 1 run against live loopback listeners. Only what holds under any load is asserted: not one live realserver
/// goes down or leaves the table's full weight, a dead one never comes in, one that dies during the starvation is
/// taken out once the CPU is back, and the lag /metrics reports is what the engine measured.
/// </summary>
[Collection(nameof(StarvationCollection))]
public sealed class CpuStarvationTests
{
    private const int Weight = 10;
    private const int LiveCount = 100;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private static readonly ServiceKey Vip = ServiceKey.ForAddress(IpvsProtocol.Tcp, IPEndPoint.Parse("10.0.0.1:80"));

    [Fact]
    public async Task Engine_StarvedOfCpu_NoFalseDownAndTheLagIsInMetrics()
    {
        var ct = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper;
        var live = Enumerable.Range(0, LiveCount).Select(_ => new LiveListener()).ToList();
        var dies = live[0];
        var dead = DeadEndPoint();
        var table = new InMemoryIpvsTable();
        var events = new ConcurrentQueue<EngineEvent>();
        try
        {
            await using var host = await WebHost.StartWithEngineAsync(checks => new HealthEngine(table, new InMemoryAdminStateStore(), checks), new WebOptions());
            var engine = host.Services.GetRequiredService<HealthEngine>();
            engine.EventRaised += events.Enqueue;
            engine.ApplyTopology(new Topology([Service([.. live.Select(l => l.EndPoint), dead])], new EngineOptions { ReconcileInterval = TimeSpan.FromSeconds(1) }));
            await engine.StartAsync(ct);
            try
            {
                await Until(() => live.All(l => table.WeightOf(Vip, l.EndPoint) == Weight) && table.WeightOf(Vip, dead) == 0, "steady state");
                events.Clear();
                var started = engine.Counters.ChecksStarted;
                var violations = new List<string>();
                var watch = Stopwatch.StartNew();
                var diedAt = TimeSpan.MaxValue;
                var outAt = TimeSpan.MaxValue;
                double? sampledLag;
                var threads = CheckerThreads.MakeIdle();
                try
                {
                    Assert.Contains(threads.Threads, t => t.Name == "ipvs-engine");
                    Assert.Contains(threads.Threads, t => t.Name.StartsWith("ipvs-probe", StringComparison.Ordinal));
                    Assert.True(threads.SetupProblem is null, threads.SetupProblem);
                    using var lag = new LagPoller(new Uri(host.BaseAddress, "metrics").ToString());
                    using (Starvation.Start(Environment.ProcessorCount, Window + TimeSpan.FromSeconds(20)))
                    {
                        while (watch.Elapsed < Window)
                        {
                            if (watch.Elapsed > Window / 2 && diedAt == TimeSpan.MaxValue)
                            {
                                dies.Stop();
                                diedAt = watch.Elapsed;
                            }
                            Watch(table, live, diedAt == TimeSpan.MaxValue ? null : dies, dead, watch.Elapsed, violations);
                            if (diedAt != TimeSpan.MaxValue && outAt == TimeSpan.MaxValue && table.WeightOf(Vip, dies.EndPoint) == 0)
                            {
                                outAt = watch.Elapsed;
                            }
                            await Task.Delay(50, ct);
                        }
                    }
                    sampledLag = lag.Max;
                }
                finally
                {
                    threads.Dispose();
                }
                var checksInWindow = engine.Counters.ChecksStarted - started;

                // With the CPU back, the one that died during the starvation goes, and the rest stay.
                await Until(() => table.WeightOf(Vip, dies.EndPoint) == 0, "the realserver that died during the starvation taken out");
                var outAfter = (outAt == TimeSpan.MaxValue ? watch.Elapsed : outAt) - diedAt;
                Watch(table, live, dies, dead, watch.Elapsed, violations);
                var metrics = await host.Client.GetStringAsync("/metrics", ct);
                var lagMax = Gauge(metrics, "ipvs_checkd_engine_lag_max_seconds");
                var distrusted = Gauge(metrics, "ipvs_checkd_results_distrusted_total");

                output?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"starved {Window.TotalSeconds:F0} s on {Environment.ProcessorCount} core(s): {checksInWindow} checks started ({checksInWindow / Window.TotalSeconds:F0}/s of {(LiveCount + 1) * (1000 / Interval.TotalMilliseconds):F0} due), "
                    + $"lag max {engine.Counters.LagMax.TotalMilliseconds:F1} ms (metric {lagMax * 1000:F1} ms; current-lag samples max {sampledLag * 1000:F1} ms), "
                    + $"results distrusted {engine.Counters.ResultsDistrustedForLag} (metric {distrusted}), "
                    + $"the realserver stopped mid-window out after {outAfter.TotalMilliseconds:F0} ms{(outAt == TimeSpan.MaxValue ? " (after the window)" : "")}; scheduling class restore: {threads.RestoreProblem ?? "ok"}"));
                var falseDowns = events.Where(e => e.Kind == EngineEventKind.HealthChanged && e.To == "down" && !e.RealServer!.Equals(dies.EndPoint)).ToList();
                Assert.True(falseDowns.Count == 0, "false downs: " + string.Join("; ", falseDowns));
                Assert.True(violations.Count == 0, string.Join("\n", violations.Take(20)));
                Assert.True(checksInWindow > 0, "no check ran during the starvation");
                // The lag is reported as the engine measured it, whatever it was: never zero after real checks, and
                // never below a value the current-lag gauge showed on the way.
                Assert.True(lagMax > 0, "ipvs_checkd_engine_lag_max_seconds is 0");
                Assert.InRange(lagMax, 0, engine.Counters.LagMax.TotalSeconds + 1e-6);
                Assert.True(sampledLag is null || lagMax >= sampledLag, $"lag max {lagMax} below a sampled current lag {sampledLag}");
                Assert.InRange(distrusted, 0, engine.Counters.ResultsDistrustedForLag);
            }
            finally
            {
                await engine.StopAsync(CancellationToken.None);
            }
        }
        finally
        {
            live.ForEach(l => l.Dispose());
        }
    }

    private static VirtualServiceSpec Service(IPEndPoint[] servers) => new(
        "web",
        new ServiceConfig(Vip, "wlc"),
        [.. servers.Select(ep => new RealServerSpec(ep, Weight, ForwardMethod.Masquerade,
            [new RealServerCheck(new TcpCheckSpec { Timeout = TimeSpan.FromSeconds(1) }, new CheckTarget(ep, ep, "web"),
                new CheckSchedule(Interval, Rise: 1, Fall: 1))]))]);

    /// <summary>A loopback port nobody listens on: connecting is refused.</summary>
    private static IPEndPoint DeadEndPoint()
    {
        using var probe = new LiveListener();
        return probe.EndPoint;
    }

    /// <summary>One look at the table: every live realserver (but the one that died, once it has) at full weight, the dead one out.</summary>
    private static void Watch(InMemoryIpvsTable table, List<LiveListener> live, LiveListener? died, IPEndPoint dead, TimeSpan at, List<string> violations)
    {
        foreach (var l in live)
        {
            var weight = table.WeightOf(Vip, l.EndPoint);
            if (l != died && weight != Weight)
            {
                violations.Add(string.Create(CultureInfo.InvariantCulture, $"{at.TotalSeconds:F2} s: live {l.EndPoint} at weight {weight?.ToString(CultureInfo.InvariantCulture) ?? "(absent)"}"));
            }
        }
        if (table.WeightOf(Vip, dead) is not 0)
        {
            violations.Add(string.Create(CultureInfo.InvariantCulture, $"{at.TotalSeconds:F2} s: dead {dead} at weight {table.WeightOf(Vip, dead)}"));
        }
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), what + ": not reached within 30 s");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    private static double Gauge(string metrics, string name)
    {
        var line = metrics.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return double.Parse(line.AsSpan(name.Length + 1), NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
