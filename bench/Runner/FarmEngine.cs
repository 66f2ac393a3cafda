using System.Net;
using Ipvs.Bench.Farm;
using Ipvs.Engine;

namespace Ipvs.Bench;

/// <summary>
/// What the steady and soak engine scenarios start the same way: <c>count</c> TCP farm realservers in a separate
/// ipvs-farm process (<see cref="FarmProcess"/>, so the farm's threads, CPU and GC do not land in the measured
/// process), 100 per virtual service, one tcp check each at a 1 s interval (rise 2, fall 2, timeout 1 s), and the
/// engine over the in-memory table, started. The farm is driven over its control channel (<see cref="Control"/>).
/// Disposing stops the engine first, then the farm.
/// </summary>
internal sealed class FarmEngine : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private FarmEngine(FarmProcess farm, FarmClient control, IReadOnlyList<IPEndPoint> realServers, HealthEngine engine)
    {
        Farm = farm;
        Control = control;
        RealServers = realServers;
        Engine = engine;
    }

    public FarmProcess Farm { get; }

    /// <summary>The farm's control channel (one caller at a time).</summary>
    public FarmClient Control { get; }

    /// <summary>The farm's servers in its order, as its <c>list</c> command names them.</summary>
    public IReadOnlyList<IPEndPoint> RealServers { get; }

    public HealthEngine Engine { get; }

    /// <param name="runFor">How long the caller means to run: the farm stops by itself a while after that.</param>
    /// <param name="beforeStart">Runs once the engine exists and before it takes the topology (to subscribe to its events).</param>
    public static async Task<FarmEngine> StartAsync(int count, IPAddress first, int port, TimeSpan runFor, Action<HealthEngine>? beforeStart = null)
    {
        var farm = FarmProcess.Start(count, "tcp", first, port, new IPEndPoint(IPAddress.Loopback, 0), (int)runFor.TotalSeconds + 600);
        FarmClient? control = null;
        HealthEngine? engine = null;
        try
        {
            control = farm.Connect();
            var realServers = control.Send("list").Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(w => IPEndPoint.Parse(w[..w.IndexOf('=', StringComparison.Ordinal)])).ToList();
            if (realServers.Count != count)
            {
                throw new InvalidOperationException($"ipvs-farm lists {realServers.Count} servers, expected {count}");
            }
            var topology = EngineScenarioArgs.Topology(realServers, perService: 100, Interval, rise: 2, fall: 2, TimeSpan.FromSeconds(1));
            engine = new HealthEngine(new InMemoryIpvsTable(), new InMemoryAdminStateStore());
            beforeStart?.Invoke(engine);
            engine.ApplyTopology(topology);
            await engine.StartAsync();
            return new FarmEngine(farm, control, realServers, engine);
        }
        catch
        {
            if (engine is not null)
            {
                await engine.DisposeAsync();
            }
            control?.Dispose();
            farm.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        Control.Dispose();
        Farm.Dispose();
    }
}
