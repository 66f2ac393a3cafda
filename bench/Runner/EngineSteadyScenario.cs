using System.Diagnostics;
using System.Globalization;
using System.Net;
using Ipvs.Engine;

namespace Ipvs.Bench;

/// <summary>
/// engine-steady: N realservers (default 10,000) in 100-realserver virtual services, one TCP check each at a
/// 1 s interval against the farm on loopback (a separate ipvs-farm process), engine over the in-memory table. Prints,
/// per window, checks/s, the timer slip (check start minus due time) percentiles, the engine's and the farm's CPU and
/// the engine process's collections and GC pause time, so lag growth and its causes are visible.
/// </summary>
public sealed class EngineSteadyScenario : IScenario
{
    private static readonly TimeSpan SlipGoal = TimeSpan.FromMilliseconds(5);

    public string Name => "engine-steady";

    public string Description => "engine + real TCP probes vs farm (own process): timer slip p50/p99/max per window, CPU, GC, lag growth (--count 10000 --duration 60 --window 10)";

    public async Task<int> RunAsync(string[] args)
    {
        var count = EngineScenarioArgs.Int(args, "--count", 10_000);
        var duration = TimeSpan.FromSeconds(EngineScenarioArgs.Int(args, "--duration", 60));
        var window = TimeSpan.FromSeconds(EngineScenarioArgs.Int(args, "--window", 10));
        await using var run = await FarmEngine.StartAsync(count, IPAddress.Parse("127.1.0.1"), 9100, duration + TimeSpan.FromSeconds(30));
        var engine = run.Engine;

        Console.WriteLine($"engine-steady: {count} realservers, interval {FarmEngine.Interval.TotalSeconds} s, {Environment.ProcessorCount} cores (shared machine); farm in its own process (pid {run.Farm.Pid})");
        await Task.Delay(TimeSpan.FromSeconds(5)); // warm-up: phases settle, every realserver comes up
        engine.TakeLagWindow();
        var start = ProcessMeter.Take(run.Farm);
        var footprint0 = ProcessMeter.Footprint();
        var started0 = engine.Counters.ChecksStarted;
        Console.WriteLine("   t(s)  checks/s   slip p50   slip p99   slip max  in-flight  held-back  failed" + ProcessMeter.Header);
        var sw = Stopwatch.StartNew();
        var p99s = new List<double>();
        var lastStarted = started0;
        var last = start;
        while (sw.Elapsed < duration)
        {
            await Task.Delay(window);
            var w = engine.TakeLagWindow();
            var now = ProcessMeter.Take(run.Farm);
            var started = engine.Counters.ChecksStarted;
            var c = engine.Counters;
            p99s.Add(w.P99.TotalMilliseconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{sw.Elapsed.TotalSeconds,7:F0} {(started - lastStarted) / now.Since(last).TotalSeconds,9:F0} {w.P50.TotalMilliseconds,8:F1}ms {w.P99.TotalMilliseconds,8:F1}ms {w.Max.TotalMilliseconds,8:F1}ms {c.ChecksInFlight,10} {c.ChecksHeldBackGlobal + c.ChecksHeldBackPerHost,10} {c.ChecksFailed,7} ") + now.Columns(last));
            lastStarted = started;
            last = now;
        }
        var footprint1 = ProcessMeter.Footprint();
        var snap = engine.Snapshot();
        var up = snap.VirtualServices.Sum(v => v.RealServers.Count(r => r.Health == HealthState.Up));
        Console.WriteLine(last.Summary(start, engine.Counters.ChecksStarted - started0));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"engine process start -> end: RSS {footprint0.RssMiB:F1} -> {footprint1.RssMiB:F1} MiB, fds {footprint0.Fds} -> {footprint1.Fds}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"realservers up at end: {up}/{count}; slip p99 first window {p99s[0]:F1} ms, last {p99s[^1]:F1} ms, worst {p99s.Max():F1} ms; windows with p99 > {SlipGoal.TotalMilliseconds:F0} ms: {p99s.Count(p => p > SlipGoal.TotalMilliseconds)}/{p99s.Count}; lag max over run {engine.Counters.LagMax.TotalMilliseconds:F1} ms; results distrusted for lag {engine.Counters.ResultsDistrustedForLag}; kernel batches {engine.Counters.KernelBatches}"));
        await engine.StopAsync();
        return 0;
    }
}
