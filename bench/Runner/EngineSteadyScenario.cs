using System.Diagnostics;
using System.Globalization;
using System.Net;
using Ipvs.Engine;

namespace Ipvs.Bench;

/// <summary>
/// engine-steady: N realservers (default 10,000) in 100-realserver virtual services, one TCP check each at a
/// 1 s interval against the in-process farm on loopback, engine over the in-memory table. Prints, per window,
/// checks/s and the timer slip (check start minus due time) percentiles, so lag growth is visible.
/// </summary>
public sealed class EngineSteadyScenario : IScenario
{
    public string Name => "engine-steady";

    public string Description => "engine + real TCP probes vs farm: timer slip p50/p99/max and lag growth (--count 10000 --duration 60)";

    public async Task<int> RunAsync(string[] args)
    {
        var count = EngineScenarioArgs.Int(args, "--count", 10_000);
        var duration = TimeSpan.FromSeconds(EngineScenarioArgs.Int(args, "--duration", 60));
        var window = TimeSpan.FromSeconds(EngineScenarioArgs.Int(args, "--window", 10));
        await using var run = await FarmEngine.StartAsync(count, IPAddress.Parse("127.1.0.1"), 9100);
        var engine = run.Engine;

        Console.WriteLine($"engine-steady: {count} realservers, interval {FarmEngine.Interval.TotalSeconds} s, {Environment.ProcessorCount} cores (shared, busy machine); farm in the same process");
        await Task.Delay(TimeSpan.FromSeconds(5)); // warm-up: phases settle, every realserver comes up
        engine.TakeLagWindow();
        var proc = Process.GetCurrentProcess();
        var cpu0 = proc.TotalProcessorTime;
        var started0 = engine.Counters.ChecksStarted;
        Console.WriteLine("   t(s)  checks/s   slip p50   slip p99   slip max  in-flight  held-back  failed  cpu(%)");
        var sw = Stopwatch.StartNew();
        var p99s = new List<double>();
        var lastStarted = started0;
        var lastCpu = cpu0;
        while (sw.Elapsed < duration)
        {
            await Task.Delay(window);
            proc.Refresh();
            var w = engine.TakeLagWindow();
            var started = engine.Counters.ChecksStarted;
            var cpu = proc.TotalProcessorTime;
            var c = engine.Counters;
            p99s.Add(w.P99.TotalMilliseconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{sw.Elapsed.TotalSeconds,7:F0} {(started - lastStarted) / window.TotalSeconds,9:F0} {w.P50.TotalMilliseconds,8:F1}ms {w.P99.TotalMilliseconds,8:F1}ms {w.Max.TotalMilliseconds,8:F1}ms {c.ChecksInFlight,10} {c.ChecksHeldBackGlobal + c.ChecksHeldBackPerHost,10} {c.ChecksFailed,7} {(cpu - lastCpu).TotalMilliseconds / window.TotalMilliseconds * 100,7:F0}"));
            lastStarted = started;
            lastCpu = cpu;
        }
        var snap = engine.Snapshot();
        var up = snap.VirtualServices.Sum(v => v.RealServers.Count(r => r.Health == HealthState.Up));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"realservers up at end: {up}/{count}; slip p99 first window {p99s[0]:F1} ms, last {p99s[^1]:F1} ms; lag max over run {engine.Counters.LagMax.TotalMilliseconds:F1} ms; results distrusted for lag {engine.Counters.ResultsDistrustedForLag}; kernel batches {engine.Counters.KernelBatches}"));
        await engine.StopAsync();
        return 0;
    }
}
