using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Ipvs.Checks;
using Ipvs.Checks.Tests.Fixtures;
using static Ipvs.Engine.Tests.EngineHarness;

namespace Ipvs.Engine.Tests;

/// <summary>
/// tcp checks run on the lean path (<see cref="IInlineCheck"/>: no per-run cancellation registration), so a stopping
/// engine must end their runs itself: a check waiting on a silent server may not hold the stop up to its timeout.
/// </summary>
public class EngineInlineProbeTests
{
    [Fact]
    public async Task Stop_TcpCheckWaitingOnSilentServer_EndsWithoutWaitingForItsTimeout()
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(64);
        using var hole = Blackhole.Start();
        var check = new TcpCheckSpec { Timeout = TimeSpan.FromSeconds(30) };
        var engine = new HealthEngine(new InMemoryIpvsTable(), new InMemoryAdminStateStore(), HealthCheckFactory.Instance, TimeProvider.System);
        await using var _ = engine;
        engine.ApplyTopology(Topo(new EngineOptions(),
            VirtualService("web", Service(),
                RealServer((IPEndPoint)listener.LocalEndPoint!, 10, Every(0.05, rise: 1, fall: 1), spec: check),
                RealServer(hole.EndPoint, 10, Every(60, rise: 1, fall: 1), spec: check))));
        await engine.StartAsync();

        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (engine.Counters.ChecksPassed < 5 || engine.Counters.ChecksInFlight == 0)
        {
            Assert.True(DateTime.UtcNow < until, $"{engine.Counters.ChecksPassed} passed, {engine.Counters.ChecksInFlight} in flight after 30 s");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
        Assert.Equal(0, engine.Counters.ChecksFailed);

        var stopping = Stopwatch.StartNew();
        await engine.StopAsync(TestContext.Current.CancellationToken);
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(15), $"stop took {stopping.Elapsed}: it waited for the 30 s timeout");
        Assert.Equal(0, engine.Counters.ChecksInFlight);
        Assert.Equal(0, engine.Counters.ChecksFailed);
        Assert.True(engine.Counters.ChecksErrored >= 1, "the silent server's run did not end as cancelled");
    }
}
