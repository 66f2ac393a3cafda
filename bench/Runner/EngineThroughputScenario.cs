using System.Globalization;
using System.Net;
using System.Text;
using Ipvs.Checks;
using Ipvs.Engine;
using Ipvs.Netlink;

namespace Ipvs.Bench;

/// <summary>
/// engine-throughput: the engine at saturation (checks due faster than the machine can run them) with 1 probe loop and
/// with N, in one run: real TCP or HTTP checks against the farm (its own process), engine over the in-memory table. The
/// configurations take turns (<c>--rounds</c>, each round in the other order), so a trend in the machine's load does
/// not favour one; prints checks/s and CPU µs per check (this process: engine and probes) per round, then medians
/// and the median of the per-round ratios to the first configuration.
/// </summary>
public sealed class EngineThroughputScenario : IScenario
{
    public string Name => "engine-throughput";

    public string Description => "engine + probes at saturation with 1 and N probe loops, taking turns (--loops 1,2 --check tcp|http --count 2000 --interval-ms 50 --seconds 10 --rounds 3)";

    public async Task<int> RunAsync(string[] args)
    {
        var inv = CultureInfo.InvariantCulture;
        var i = Array.IndexOf(args, "--loops");
        var loops = i >= 0 && i + 1 < args.Length ? args[i + 1].Split(',').Select(s => int.Parse(s, inv)).ToArray() : [1, 2];
        i = Array.IndexOf(args, "--check");
        var http = i >= 0 && i + 1 < args.Length && args[i + 1] == "http";
        var count = EngineScenarioArgs.Int(args, "--count", 2000);
        var interval = TimeSpan.FromMilliseconds(EngineScenarioArgs.Int(args, "--interval-ms", 50));
        var seconds = EngineScenarioArgs.Int(args, "--seconds", 10);
        var rounds = EngineScenarioArgs.Int(args, "--rounds", 3);
        var port = EngineScenarioArgs.Int(args, "--port", 19300);
        var kind = http ? "http" : "tcp";
        using var farm = FarmProcess.Start(count, kind, IPAddress.Parse("127.1.0.1"), port, new IPEndPoint(IPAddress.Loopback, 0), rounds * loops.Length * (seconds + 15) + 120);
        using var control = farm.Connect();
        var realServers = control.Send("list").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => IPEndPoint.Parse(w[..w.IndexOf('=', StringComparison.Ordinal)])).ToList();
        var topology = Topology(realServers, interval, http);
        var head = string.Create(inv, $"engine-throughput: {count} {kind} realservers every {interval.TotalMilliseconds:F0} ms (demand {count * 1000 / interval.TotalMilliseconds:F0}/s), loops {string.Join(" vs ", loops)}, {rounds} rounds of {seconds} s, {Environment.ProcessorCount} CPUs, farm in its own process");
        Console.WriteLine(head);
        var sb = new StringBuilder(head).AppendLine();
        var results = loops.ToDictionary(n => n, _ => new List<(double Rate, double CpuUs, double Pass)>());
        for (var r = 0; r < rounds; r++)
        {
            var order = r % 2 == 0 ? loops : [.. loops.Reverse()];
            var line = new StringBuilder(string.Create(inv, $"round {r + 1}:"));
            foreach (var n in order)
            {
                var row = await MeasureAsync(topology, n, seconds);
                results[n].Add(row);
                line.Append(inv, $" {n} loop(s) {row.Rate:F0}/s {row.CpuUs:F1} us/check pass {row.Pass:F1}%;");
            }
            line.Append(" load ").Append(File.ReadAllText("/proc/loadavg").Split(' ')[0]);
            Console.WriteLine(line);
            sb.AppendLine(line.ToString());
        }
        static double Median(IEnumerable<double> xs)
        {
            var s = xs.Order().ToArray();
            return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
        }
        var baseRuns = results[loops[0]];
        foreach (var n in loops)
        {
            var runs = results[n];
            var rateRatio = Median(runs.Select((x, k) => x.Rate / baseRuns[k].Rate));
            var cpuRatio = Median(runs.Select((x, k) => x.CpuUs / baseRuns[k].CpuUs));
            var text = string.Create(inv, $"{n} loop(s): median {Median(runs.Select(x => x.Rate)):F0} checks/s (range {runs.Min(x => x.Rate):F0}..{runs.Max(x => x.Rate):F0}), {Median(runs.Select(x => x.CpuUs)):F1} us CPU/check; per-round ratio to {loops[0]} loop(s): throughput {rateRatio:F2}x, CPU per check {cpuRatio:F2}x");
            Console.WriteLine(text);
            sb.AppendLine(text);
        }
        control.Send("quit");
        ChecksOptions.Save($"{Name}-{kind}", sb.ToString());
        return 0;
    }

    private static async Task<(double Rate, double CpuUs, double Pass)> MeasureAsync(Topology topology, int loops, int seconds)
    {
        using var probeLoops = new ProbeLoops(loops);
        var engine = new HealthEngine(new InMemoryIpvsTable(), new InMemoryAdminStateStore(), probeLoops: probeLoops);
        await using (engine)
        {
            engine.ApplyTopology(topology);
            await engine.StartAsync();
            await Task.Delay(TimeSpan.FromSeconds(3)); // warm-up: every check has run, the loops are saturated
            var c = engine.Counters;
            var (done0, passed0, cpu0) = (c.ChecksPassed + c.ChecksFailed + c.ChecksErrored, c.ChecksPassed, Farm.ProcessCpu.Now());
            var sw = System.Diagnostics.Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            var done = c.ChecksPassed + c.ChecksFailed + c.ChecksErrored - done0;
            var passed = c.ChecksPassed - passed0;
            var cpu = Farm.ProcessCpu.Now() - cpu0;
            var elapsed = sw.Elapsed.TotalSeconds;
            await engine.StopAsync();
            return (done / elapsed, cpu.TotalMilliseconds * 1000 / Math.Max(done, 1), 100.0 * passed / Math.Max(done, 1));
        }
    }

    private static Topology Topology(IReadOnlyList<IPEndPoint> realServers, TimeSpan interval, bool http)
    {
        CheckSpec spec = http ? new HttpCheckSpec { Timeout = TimeSpan.FromSeconds(1) } : new TcpCheckSpec { Timeout = TimeSpan.FromSeconds(1) };
        var schedule = new CheckSchedule(interval, 1, 1);
        var services = new List<VirtualServiceSpec>();
        for (var s = 0; s * 100 < realServers.Count; s++)
        {
            var rs = realServers.Skip(s * 100).Take(100)
                .Select(ep => new RealServerSpec(ep, 10, ForwardMethod.Masquerade, [new RealServerCheck(spec, new CheckTarget(ep), schedule)])).ToList();
            var vip = new IPEndPoint(new IPAddress([10, 255, (byte)(s >> 8), (byte)s]), 80);
            services.Add(new VirtualServiceSpec($"vs{s}", new ServiceConfig(ServiceKey.ForAddress(IpvsProtocol.Tcp, vip), "wlc"), rs));
        }
        return new Topology(services, new EngineOptions { MaxInFlight = 4096, MaxInFlightPerHost = 64, ReconcileInterval = TimeSpan.FromSeconds(5) });
    }
}
