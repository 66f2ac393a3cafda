using Ipvs.Engine;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ipvs.Bench.Micro.Engine;

/// <summary>
/// An engine over the in-memory table with no-op probes on a clock the benchmark moves: every pass is the
/// benchmark's own <see cref="Run"/>, so an operation measures the engine's loop alone.
/// </summary>
internal sealed class PumpedEngine : IDisposable
{
    private readonly ManualTimeProvider _time = new();
    private readonly HealthEngine _engine;

    public PumpedEngine(Topology topology)
    {
        _engine = new HealthEngine(new InMemoryIpvsTable(), new InMemoryAdminStateStore(), new NoOpChecks(), _time, NullLoggerFactory.Instance);
        _engine.ApplyTopology(topology);
        _engine.StartAsync().GetAwaiter().GetResult();
    }

    /// <summary>Moves the clock by <paramref name="ticks"/> ticks of 5 ms, one engine pass per tick.</summary>
    public void Run(int ticks)
    {
        for (var t = 0; t < ticks; t++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(5));
            _engine.Pump();
        }
    }

    public void Dispose() => _engine.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
