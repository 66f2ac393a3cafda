using System.Diagnostics;
using System.Globalization;
using System.Net;
using Ipvs.Engine;

namespace Ipvs.Bench;

/// <summary>
/// engine-soak: the reliability soak (not in CI). N realservers (default 10,000) at a 1 s interval, rise 2, fall 2,
/// real TCP probes against the farm (a separate ipvs-farm process), engine over the in-memory table, for --duration
/// seconds (default 3600). Every 10 s, 1% of the realservers start refusing and those refusing for 10 s come back
/// (commands on the farm's control channel), so realservers fail and recover all the time. Per window (default 10 s)
/// it prints checks/s, timer slip, the engine process's RSS, open file descriptors and managed heap, transitions, both
/// processes' CPU and the engine's collections and GC pause time, and checks every transition: a realserver whose
/// farm state has held for fall × interval + timeout + 1 s must have the matching weight in the table (a mismatch is
/// counted as wrong). Ends with start-vs-end figures.
/// </summary>
public sealed class EngineSoakScenario : IScenario
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(4); // fall 2 × 1 s + timeout 1 s + 1 s slack

    public string Name => "engine-soak";

    public string Description => "reliability soak: 10,000 realservers failing and recovering for an hour; RSS, fds, lag and transition correctness (--count 10000 --duration 3600 --window 10)";

    public async Task<int> RunAsync(string[] args)
    {
        var count = EngineScenarioArgs.Int(args, "--count", 10_000);
        var duration = TimeSpan.FromSeconds(EngineScenarioArgs.Int(args, "--duration", 3600));
        var window = TimeSpan.FromSeconds(EngineScenarioArgs.Int(args, "--window", 10));
        long transitions = 0;
        await using var run = await FarmEngine.StartAsync(count, IPAddress.Parse("127.4.0.1"), 9400, duration + TimeSpan.FromSeconds(60), engine => engine.EventRaised += e =>
        {
            if (e.Kind == EngineEventKind.HealthChanged)
            {
                Interlocked.Increment(ref transitions);
            }
        });
        var engine = run.Engine;
        await Task.Delay(TimeSpan.FromSeconds(10)); // every realserver up, start-up work done

        // Farm state per server as we told the farm: refusing or not, and since when (Stopwatch ticks).
        var refusing = new bool[count];
        var since = new long[count];
        Array.Fill(since, Stopwatch.GetTimestamp());
        var index = run.RealServers.Select((ep, i) => (ep, i)).ToDictionary(p => p.ep, p => p.i);
        var random = new Random(12345);
        Console.WriteLine($"engine-soak: {count} realservers, interval 1 s, rise 2, fall 2, 1% failing and recovering every 10 s (farm control channel), {duration.TotalMinutes:F0} min; {Environment.ProcessorCount} cores (shared machine); farm in its own process (pid {run.Farm.Pid})");
        Console.WriteLine("   t(s) checks/s  slip p50  slip p99  slip max  RSS MiB  heap MiB    fds  transitions  checked  wrong" + ProcessMeter.Header);
        engine.TakeLagWindow();
        var start = ProcessMeter.Take(run.Farm);
        var last = start;
        var sw = Stopwatch.StartNew();
        var nextFlip = TimeSpan.Zero;
        var nextWindow = window;
        long started0 = engine.Counters.ChecksStarted, lastStarted = started0, wrongTotal = 0, failures = 0, recoveries = 0;
        var first = (Rss: 0.0, Fds: 0, P99: 0.0);
        var end = first;
        var worstP99 = 0.0;
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
                        Flip(run, refusing, since, i, false);
                        recoveries++;
                    }
                }
                for (var n = 0; n < count / 100; n++)
                {
                    var i = random.Next(count);
                    if (!refusing[i])
                    {
                        Flip(run, refusing, since, i, true);
                        failures++;
                    }
                }
            }
            if (sw.Elapsed < nextWindow && sw.Elapsed < duration)
            {
                continue; // the last window ends with the run, so the closing figures cover all of it
            }
            // From now, not from the planned time: a starved loop must not print a burst of catch-up windows.
            nextWindow = sw.Elapsed + window;
            var (checkedCount, wrong) = Verify(engine, index, refusing, since);
            wrongTotal += wrong;
            var w = engine.TakeLagWindow();
            var meter = ProcessMeter.Take(run.Farm);
            var started = engine.Counters.ChecksStarted;
            var (rss, fds) = ProcessMeter.Footprint();
            end = (rss, fds, w.P99.TotalMilliseconds);
            worstP99 = Math.Max(worstP99, end.P99);
            if (first.Fds == 0)
            {
                first = end;
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{sw.Elapsed.TotalSeconds,7:F0} {(started - lastStarted) / meter.Since(last).TotalSeconds,8:F0} {w.P50.TotalMilliseconds,7:F1}ms {w.P99.TotalMilliseconds,7:F1}ms {w.Max.TotalMilliseconds,7:F1}ms {rss,8:F1} {GC.GetTotalMemory(false) / 1048576.0,9:F1} {fds,6} {Interlocked.Read(ref transitions),12} {checkedCount,8} {wrong,6} ") + meter.Columns(last));
            lastStarted = started;
            last = meter;
        }
        Console.WriteLine(last.Summary(start, engine.Counters.ChecksStarted - started0));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"engine process start -> end: RSS {first.Rss:F1} -> {end.Rss:F1} MiB, fds {first.Fds} -> {end.Fds}; slip p99 first window {first.P99:F1} ms, last {end.P99:F1} ms, worst {worstP99:F1} ms; lag max {engine.Counters.LagMax.TotalMilliseconds:F1} ms; results distrusted for lag {engine.Counters.ResultsDistrustedForLag}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"farm: {failures} set to refuse, {recoveries} set back up (control channel); transitions {Interlocked.Read(ref transitions)}; wrong weights {wrongTotal}"));
        await engine.StopAsync();
        return wrongTotal == 0 ? 0 : 1;
    }

    /// <summary>Tells the farm (over its control channel) to refuse or accept on one server, and notes when.</summary>
    private static void Flip(FarmEngine run, bool[] refusing, long[] since, int i, bool refuse)
    {
        var reply = run.Control.Send($"set {run.RealServers[i]} {(refuse ? "refuse" : "up")}");
        if (reply != "ok")
        {
            throw new InvalidOperationException("farm: " + reply);
        }
        since[i] = Stopwatch.GetTimestamp();
        refusing[i] = refuse;
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
