using System.Diagnostics;
using System.Globalization;
using System.Net;
using Ipvs.Bench.Farm;
using Ipvs.Engine;

namespace Ipvs.Bench;

/// <summary>
/// engine-soak: the reliability soak (not in CI). N realservers (default 10,000) at a 1 s interval, rise 2, fall 2,
/// real TCP probes against the in-process farm, engine over the in-memory table, for --duration seconds (default
/// 3600). Every 10 s, 1% of the realservers start refusing and those refusing for 10 s come back, so realservers fail
/// and recover all the time. Per window it prints checks/s, timer slip, RSS, open file descriptors, managed heap and
/// transitions, and checks every transition: a realserver whose farm state has held for fall × interval + timeout +
/// 1 s must have the matching weight in the table (a mismatch is counted as wrong). Ends with start-vs-end figures.
/// </summary>
public sealed class EngineSoakScenario : IScenario
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(4); // fall 2 × 1 s + timeout 1 s + 1 s slack

    public string Name => "engine-soak";

    public string Description => "reliability soak: 10,000 realservers failing and recovering for an hour; RSS, fds, lag and transition correctness (--count 10000 --duration 3600 --window 60)";

    public async Task<int> RunAsync(string[] args)
    {
        var count = EngineScenarioArgs.Int(args, "--count", 10_000);
        var duration = TimeSpan.FromSeconds(EngineScenarioArgs.Int(args, "--duration", 3600));
        var window = TimeSpan.FromSeconds(EngineScenarioArgs.Int(args, "--window", 60));
        long transitions = 0;
        await using var run = await FarmEngine.StartAsync(count, IPAddress.Parse("127.4.0.1"), 9400, engine => engine.EventRaised += e =>
        {
            if (e.Kind == EngineEventKind.HealthChanged)
            {
                Interlocked.Increment(ref transitions);
            }
        });
        var (farm, engine) = (run.Farm, run.Engine);
        await Task.Delay(TimeSpan.FromSeconds(10)); // every realserver up, start-up work done

        // Farm state per server: refusing or not, and since when (Stopwatch ticks).
        var refusing = new bool[count];
        var since = new long[count];
        Array.Fill(since, Stopwatch.GetTimestamp());
        var index = farm.Servers.Select((s, i) => (s.EndPoint, i)).ToDictionary(p => p.EndPoint, p => p.i);
        var random = new Random(12345);
        var proc = Process.GetCurrentProcess();
        Console.WriteLine($"engine-soak: {count} realservers, interval 1 s, rise 2, fall 2, 1% failing and recovering every 10 s, {duration.TotalMinutes:F0} min; {Environment.ProcessorCount} cores (shared machine)");
        Console.WriteLine("  t(min) checks/s  slip p50  slip p99  slip max  RSS MiB  heap MiB  fds  transitions  checked  wrong");
        engine.TakeLagWindow();
        var sw = Stopwatch.StartNew();
        var nextFlip = TimeSpan.Zero;
        var nextWindow = window;
        long lastStarted = engine.Counters.ChecksStarted, wrongTotal = 0;
        var lastWindowAt = TimeSpan.Zero;
        var first = (Rss: 0.0, Fds: 0, P99: 0.0);
        var last = first;
        while (sw.Elapsed < duration)
        {
            await Task.Delay(250);
            if (sw.Elapsed >= nextFlip)
            {
                nextFlip += TimeSpan.FromSeconds(10);
                var now = Stopwatch.GetTimestamp();
                for (var i = 0; i < count; i++)
                {
                    if (refusing[i] && Stopwatch.GetElapsedTime(since[i], now) >= TimeSpan.FromSeconds(10))
                    {
                        Flip(farm.Servers[i], refusing, since, i, false);
                    }
                }
                for (var n = 0; n < count / 100; n++)
                {
                    var i = random.Next(count);
                    if (!refusing[i])
                    {
                        Flip(farm.Servers[i], refusing, since, i, true);
                    }
                }
            }
            if (sw.Elapsed < nextWindow)
            {
                continue;
            }
            // From now, not from the planned time: a starved loop must not print a burst of catch-up windows.
            nextWindow = sw.Elapsed + window;
            var seconds = (sw.Elapsed - lastWindowAt).TotalSeconds;
            lastWindowAt = sw.Elapsed;
            var (checkedCount, wrong) = Verify(engine, index, refusing, since);
            wrongTotal += wrong;
            var w = engine.TakeLagWindow();
            proc.Refresh();
            var started = engine.Counters.ChecksStarted;
            var rss = proc.WorkingSet64 / 1048576.0;
            var fds = Directory.GetFiles("/proc/self/fd").Length;
            last = (rss, fds, w.P99.TotalMilliseconds);
            if (first.Fds == 0)
            {
                first = last;
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{sw.Elapsed.TotalMinutes,8:F1} {(started - lastStarted) / seconds,8:F0} {w.P50.TotalMilliseconds,7:F1}ms {w.P99.TotalMilliseconds,7:F1}ms {w.Max.TotalMilliseconds,7:F1}ms {rss,8:F1} {GC.GetTotalMemory(false) / 1048576.0,9:F1} {fds,4} {Interlocked.Read(ref transitions),12} {checkedCount,8} {wrong,6}"));
            lastStarted = started;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"start -> end: RSS {first.Rss:F1} -> {last.Rss:F1} MiB, fds {first.Fds} -> {last.Fds}, slip p99 {first.P99:F1} -> {last.P99:F1} ms; transitions {Interlocked.Read(ref transitions)}; wrong weights {wrongTotal}; lag max {engine.Counters.LagMax.TotalMilliseconds:F1} ms; results distrusted for lag {engine.Counters.ResultsDistrustedForLag}"));
        await engine.StopAsync();
        return wrongTotal == 0 ? 0 : 1;
    }

    private static void Flip(FarmServer server, bool[] refusing, long[] since, int i, bool refuse)
    {
        since[i] = Stopwatch.GetTimestamp();
        refusing[i] = refuse;
        server.SetBehaviour(refuse ? FarmBehaviour.Refuse : FarmBehaviour.Up);
    }

    /// <summary>Realservers whose farm state held long enough must show it in the table: weight 10 up, 0 refusing.</summary>
    private static (int Checked, int Wrong) Verify(HealthEngine engine, Dictionary<IPEndPoint, int> index, bool[] refusing, long[] since)
    {
        var now = Stopwatch.GetTimestamp();
        int checkedCount = 0, wrong = 0;
        foreach (var vs in engine.Snapshot().VirtualServices)
        {
            foreach (var rs in vs.RealServers)
            {
                var i = index[rs.Address];
                if (Stopwatch.GetElapsedTime(since[i], now) < Settle)
                {
                    continue;
                }
                checkedCount++;
                if (rs.KernelWeight != (refusing[i] ? 0 : 10))
                {
                    wrong++;
                }
            }
        }
        return (checkedCount, wrong);
    }
}
