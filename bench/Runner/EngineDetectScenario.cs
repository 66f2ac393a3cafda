using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Ipvs.Bench.Farm;
using Ipvs.Engine;
using Ipvs.Netlink;

namespace Ipvs.Bench;

/// <summary>
/// engine-detect: N realservers (default 10,000) at a 1 s interval, rise 2, fall 2, timeout 1 s, real TCP probes
/// against the in-process farm, engine over the in-memory table. Once steady, every 10th farm server refuses at one
/// instant; per realserver the time from that instant to the table answering the weight-0 edit is its detection
/// latency; then they accept again, and the time to the weight-restoring edit is the recovery latency. The goal
/// (issue: benchmark harness) is detection p95 within interval × fall + 50 ms at 10,000 realservers.
/// </summary>
public sealed class EngineDetectScenario : IScenario
{
    public string Name => "engine-detect";

    public string Description => "10,000 realservers: 10% fail at once, failure -> weight 0 and recovery latency vs interval x fall + 50 ms (--count 10000 [--fast-interval-ms 0])";

    public async Task<int> RunAsync(string[] args)
    {
        var count = EngineScenarioArgs.Int(args, "--count", 10_000);
        var fastMs = EngineScenarioArgs.Int(args, "--fast-interval-ms", 0);
        var interval = TimeSpan.FromSeconds(1);
        const int rise = 2, fall = 2;
        await using var farm = Farm.Farm.Start(count, FarmProtocol.Tcp, IPAddress.Parse("127.3.0.1"), 9300);
        var topology = EngineScenarioArgs.Topology(farm.Servers.Select(s => s.EndPoint).ToList(), perService: 100, interval, rise, fall, TimeSpan.FromSeconds(1));
        if (fastMs > 0)
        {
            var fast = TimeSpan.FromMilliseconds(fastMs);
            topology = topology with
            {
                VirtualServices = [.. topology.VirtualServices.Select(v => v with
                {
                    RealServers = [.. v.RealServers.Select(r => r with { Checks = [.. r.Checks.Select(c => c with { Schedule = c.Schedule with { FastInterval = fast } })] })],
                })],
            };
        }
        var table = new TimedTable(new InMemoryIpvsTable());
        var flippedAt = new ConcurrentDictionary<IPEndPoint, long>();
        var detect = new ConcurrentDictionary<IPEndPoint, double>();
        var recover = new ConcurrentDictionary<IPEndPoint, double>();
        table.OnEdit = (e, at) =>
        {
            if (e.Destination is not { } d || e.Kind == IpvsEditKind.DeleteService || !flippedAt.TryGetValue(d.EndPoint, out var t0))
            {
                return;
            }
            var ms = Stopwatch.GetElapsedTime(t0, at).TotalMilliseconds;
            _ = d.Weight == 0 ? detect.TryAdd(d.EndPoint, ms) : recover.TryAdd(d.EndPoint, ms);
        };
        await using var engine = new HealthEngine(table, new InMemoryAdminStateStore());
        engine.ApplyTopology(topology);
        await engine.StartAsync();
        var wait = Stopwatch.StartNew();
        while (UpCount(engine) < count && wait.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(200);
        }
        var upBefore = UpCount(engine);
        await Task.Delay(TimeSpan.FromSeconds(5)); // steady: phases spread, start-up work done
        var failing = farm.Servers.Where((_, i) => i % 10 == 0).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"engine-detect: {count} realservers ({upBefore} up after {wait.Elapsed.TotalSeconds:F1} s), interval {interval.TotalSeconds} s, rise {rise}, fall {fall}, timeout 1 s{(fastMs > 0 ? $", fast_interval {fastMs} ms" : "")}; {Environment.ProcessorCount} cores; failing {failing.Count} at once"));

        // Failure: mark each server's instant, then flip it (the mark precedes the change: latencies are not flattered).
        engine.TakeLagWindow();
        foreach (var s in failing)
        {
            flippedAt[s.EndPoint] = Stopwatch.GetTimestamp();
            s.SetBehaviour(FarmBehaviour.Refuse);
        }
        await WaitFor(() => detect.Count >= failing.Count, TimeSpan.FromSeconds(15));
        var lagDetect = engine.TakeLagWindow();
        var falseDowns = FalseDowns(engine, failing);
        // Recovery: the detect entries stay; recovery starts from the servers accepting again.
        foreach (var s in failing)
        {
            flippedAt[s.EndPoint] = Stopwatch.GetTimestamp();
            s.SetBehaviour(FarmBehaviour.Up);
        }
        await WaitFor(() => recover.Count >= failing.Count, TimeSpan.FromSeconds(15));
        await engine.StopAsync();

        var bound = interval.TotalMilliseconds * fall + 50;
        Console.WriteLine("             n   missed      p50       p95       max   (ms)");
        Print("detection", detect.Values, failing.Count);
        Print("recovery ", recover.Values, failing.Count);
        var p95 = Percentile([.. detect.Values], 0.95);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"goal: detection p95 <= interval x fall + 50 ms = {bound:F0} ms: {(p95 <= bound && detect.Count == failing.Count ? "met" : "NOT met")} (p95 {p95:F0} ms); false downs {falseDowns}; timer slip during detection p99 {lagDetect.P99.TotalMilliseconds:F1} ms, max {lagDetect.Max.TotalMilliseconds:F1} ms"));
        return 0;
    }

    private static void Print(string what, ICollection<double> values, int expected)
    {
        double[] v = [.. values];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}  {v.Length,6} {expected - v.Length,8} {Percentile(v, 0.5),8:F0} {Percentile(v, 0.95),9:F0} {(v.Length == 0 ? double.NaN : v.Max()),9:F0}"));
    }

    private static double Percentile(double[] v, double q)
    {
        if (v.Length == 0)
        {
            return double.NaN;
        }
        Array.Sort(v);
        return v[Math.Clamp((int)Math.Ceiling(q * v.Length) - 1, 0, v.Length - 1)];
    }

    private static async Task WaitFor(Func<bool> done, TimeSpan limit)
    {
        var sw = Stopwatch.StartNew();
        while (!done() && sw.Elapsed < limit)
        {
            await Task.Delay(20);
        }
    }

    private static int UpCount(HealthEngine engine) =>
        engine.Snapshot().VirtualServices.Sum(v => v.RealServers.Count(r => r.Health == HealthState.Up && r.KernelWeight > 0));

    private static int FalseDowns(HealthEngine engine, List<FarmServer> failing)
    {
        var failed = failing.Select(s => s.EndPoint).ToHashSet();
        return engine.Snapshot().VirtualServices.Sum(v => v.RealServers.Count(r => !failed.Contains(r.Address) && r.KernelWeight == 0));
    }
}
