using System.Net;
using Ipvs.Bench.Farm;
using Ipvs.Engine;

namespace Ipvs.Bench;

/// <summary>
/// What the steady and soak engine scenarios start the same way: <c>count</c> TCP farm realservers in the same
/// process, 100 per virtual service, one tcp check each at a 1 s interval (rise 2, fall 2, timeout 1 s), and the
/// engine over the in-memory table, started. Disposing stops the engine first, then the farm.
/// </summary>
internal sealed class FarmEngine : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private FarmEngine(Farm.Farm farm, HealthEngine engine)
    {
        Farm = farm;
        Engine = engine;
    }

    public Farm.Farm Farm { get; }

    public HealthEngine Engine { get; }

    /// <param name="beforeStart">Runs once the engine exists and before it takes the topology (to subscribe to its events).</param>
    public static async Task<FarmEngine> StartAsync(int count, IPAddress first, int port, Action<HealthEngine>? beforeStart = null)
    {
        var farm = Bench.Farm.Farm.Start(count, FarmProtocol.Tcp, first, port);
        HealthEngine? engine = null;
        try
        {
            var topology = EngineScenarioArgs.Topology(farm.Servers.Select(s => s.EndPoint).ToList(), perService: 100, Interval, rise: 2, fall: 2, TimeSpan.FromSeconds(1));
            engine = new HealthEngine(new InMemoryIpvsTable(), new InMemoryAdminStateStore());
            beforeStart?.Invoke(engine);
            engine.ApplyTopology(topology);
            await engine.StartAsync();
            return new FarmEngine(farm, engine);
        }
        catch
        {
            if (engine is not null)
            {
                await engine.DisposeAsync();
            }
            await farm.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        await Farm.DisposeAsync();
    }
}
