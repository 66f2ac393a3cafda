using System.Net;
using BenchmarkDotNet.Attributes;
using Ipvs.Checks;
using Ipvs.Engine;
using Ipvs.Netlink;

namespace Ipvs.Bench.Micro.Engine;

/// <summary>
/// Engine overhead per check with the periodic full read of the table included: 100 virtual services × 100
/// realservers, no-op probe, 1 s interval, the default 5 s reconcile interval. One operation is one check; an
/// invocation is 5 s of virtual time (50,000 checks and one full read with its reconcile pass), so the read is
/// amortised the way a running daemon pays for it. Compare with <see cref="EnginePerCheckBenchmarks"/> (no reads).
/// </summary>
[MemoryDiagnoser]
public class EngineFullReadBenchmarks
{
    private const int Services = 100;
    private const int PerService = 100;
    private PumpedEngine _engine = null!;

    [GlobalSetup]
    public void Setup()
    {
        var services = new List<VirtualServiceSpec>(Services);
        for (var s = 0; s < Services; s++)
        {
            var rs = new List<RealServerSpec>(PerService);
            for (var r = 0; r < PerService; r++)
            {
                var ep = new IPEndPoint(new IPAddress([10, 1, (byte)s, (byte)(r + 1)]), 80);
                rs.Add(new RealServerSpec(ep, 10, ForwardMethod.Route,
                    [new RealServerCheck(new TcpCheckSpec(), new CheckTarget(ep), new CheckSchedule(TimeSpan.FromSeconds(1)))]));
            }
            var svc = new ServiceConfig(ServiceKey.ForAddress(IpvsProtocol.Tcp, new IPEndPoint(new IPAddress([192, 0, 2, (byte)(s + 1)]), 80)), "wlc");
            services.Add(new VirtualServiceSpec("bench" + s, svc, rs));
        }
        var options = new EngineOptions { ReconcileInterval = TimeSpan.FromSeconds(5), MaxInFlight = 100_000, MaxInFlightPerHost = 100 };
        _engine = new PumpedEngine(new Topology(services, options));
        FiveSeconds(); // warm: every realserver up, in the table, steady
    }

    [GlobalCleanup]
    public void Cleanup() => _engine.Dispose();

    [Benchmark(OperationsPerInvoke = Services * PerService * 5)]
    public void FiveSeconds()
    {
        // 1,000 ticks of 5 ms: each pass fires the checks due in that tick; one of them does the full read.
        _engine.Run(1000);
    }
}
