using System.Diagnostics;
using System.Globalization;
using System.Net;
using Ipvs.Bench.Farm;
using Ipvs.Engine;

namespace Ipvs.Bench;

/// <summary>
/// engine-massfail: 1,000 realservers up, then every farm server refuses at once. Measures how the desired
/// weights reach the (in-memory) table: how many batches, edits per batch, and the time from each deciding
/// result to the table's answer. --shared: the 1,000 realserver entries share one backend (one probe), so
/// the decisions are truly simultaneous. --kernel: the real IPVS table over netlink instead of the in-memory one
/// (run it in the IPVS VM: `bash tests/vm/run.sh -- dotnet bench/Runner/bin/Release/net10.0/ipvs-bench.dll
/// engine-massfail --kernel`); the services it creates are removed at the end.
/// </summary>
public sealed class EngineMassFailureScenario : IScenario
{
    public string Name => "engine-massfail";

    public string Description => "1,000 realservers fail at once: batches and deciding-result-to-ACK time (--count 1000 [--shared] [--kernel])";

    public async Task<int> RunAsync(string[] args)
    {
        var count = EngineScenarioArgs.Int(args, "--count", 1000);
        var shared = EngineScenarioArgs.Flag(args, "--shared");
        var kernel = EngineScenarioArgs.Flag(args, "--kernel");
        await using var farm = Farm.Farm.Start(shared ? 1 : count, FarmProtocol.Tcp, IPAddress.Parse("127.2.0.1"), 9200);
        var endpoints = shared
            ? Enumerable.Repeat(farm.Servers[0].EndPoint, count).ToList()
            : farm.Servers.Select(s => s.EndPoint).ToList();
        var topology = EngineScenarioArgs.Topology(endpoints, perService: shared ? 1 : 100, TimeSpan.FromSeconds(1), rise: 1, fall: 1, TimeSpan.FromMilliseconds(500));
        if (kernel)
        {
            topology = topology with { Options = topology.Options with { RemoveOnExit = true } };
        }
        using var netlink = kernel ? NetlinkIpvsTable.Open() : null;
        var table = new TimedTable(netlink is null ? new InMemoryIpvsTable() : netlink);
        await using var engine = new HealthEngine(table, new InMemoryAdminStateStore());
        var decided = new Dictionary<(string, IPEndPoint), long>();
        engine.EventRaised += e =>
        {
            if (e.Kind == EngineEventKind.HealthChanged && e.To == "down" && e.VirtualService is { } vs && e.RealServer is { } rs)
            {
                decided[(vs, rs)] = Stopwatch.GetTimestamp();
            }
        };
        engine.ApplyTopology(topology);
        await engine.StartAsync();
        var deadline = Stopwatch.StartNew();
        while (Up(engine) < count && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
        }
        Console.WriteLine($"engine-massfail: {count} realserver entries{(shared ? " sharing one backend (one probe)" : "")}, all up: {Up(engine)}; interval 1 s, fall 1; table: {table.Description}; load average here {File.ReadAllText("/proc/loadavg")[..14]}");
        table.StartRecording();
        farm.SetAll(FarmBehaviour.Refuse);
        deadline.Restart();
        while (decided.Count < count && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
        }
        await Task.Delay(100);
        var (batches, acks) = table.StopRecording();
        var delays = new List<double>();
        var services = topology.VirtualServices.ToDictionary(v => v.Name, v => v.Service.Key);
        foreach (var ((vs, rs), at) in decided)
        {
            if (acks.TryGetValue((services[vs], rs), out var ack))
            {
                delays.Add(Stopwatch.GetElapsedTime(at, ack).TotalMilliseconds);
            }
        }
        delays.Sort();
        double P(double p) => delays.Count == 0 ? double.NaN : delays[Math.Min(delays.Count - 1, (int)Math.Ceiling(p * delays.Count) - 1)];
        var weights = TimedTable.Weights(table.Inner);
        var zero = topology.VirtualServices.Sum(v => v.RealServers.Count(r => weights.GetValueOrDefault((v.Service.Key, r.Address), -1) == 0));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"decided down: {decided.Count}, weight 0 in table: {zero}, batches: {batches.Count} (edits per batch: max {(batches.Count == 0 ? 0 : batches.Max())}, total {batches.Sum()})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"deciding result -> table ACK: p50 {P(0.5):F2} ms, p99 {P(0.99):F2} ms, max {P(1):F2} ms over {delays.Count} realservers"));
        await engine.StopAsync();
        return 0;
    }

    private static int Up(HealthEngine engine) =>
        engine.Snapshot().VirtualServices.Sum(v => v.RealServers.Count(r => r.Health == HealthState.Up && r.KernelWeight > 0));
}
