using System.Net;
using BenchmarkDotNet.Attributes;
using Ipvs.Checks;
using Ipvs.Engine;
using Ipvs.Netlink;

namespace Ipvs.Bench.Micro.Engine;

/// <summary>
/// Engine overhead per check, probe excluded: 10,000 realservers with a no-op probe at a 1 s interval; one
/// operation is one check run through the whole loop (wheel fire, fixed-rate reschedule, cap accounting,
/// probe start, completion queue, rise/fall step, counters). Steady state: every check passes, nothing changes.
/// </summary>
[MemoryDiagnoser]
public class EnginePerCheckBenchmarks
{
    private const int RealServers = 10_000;
    private PumpedEngine _engine = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rs = new List<RealServerSpec>(RealServers);
        for (var i = 0; i < RealServers; i++)
        {
            var ep = new IPEndPoint(new IPAddress([10, (byte)(i >> 16), (byte)(i >> 8), (byte)i]), 80);
            rs.Add(new RealServerSpec(ep, 10, ForwardMethod.Route,
                [new RealServerCheck(new TcpCheckSpec(), new CheckTarget(ep), new CheckSchedule(TimeSpan.FromSeconds(1)))]));
        }
        var svc = new ServiceConfig(ServiceKey.ForAddress(IpvsProtocol.Tcp, IPEndPoint.Parse("192.0.2.1:80")), "wlc");
        var options = new EngineOptions { ReconcileInterval = TimeSpan.FromDays(1), MaxInFlight = 100_000, MaxInFlightPerHost = 100 };
        _engine = new PumpedEngine(new Topology([new VirtualServiceSpec("bench", svc, rs)], options));
        for (var i = 0; i < 3; i++)
        {
            OneSecond(); // warm: every realserver up, in the kernel, steady
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _engine.Dispose();

    [Benchmark(OperationsPerInvoke = RealServers)]
    public void OneSecond()
    {
        // 200 ticks of 5 ms: each pass fires the checks due in that tick.
        _engine.Run(200);
    }
}
