using Microsoft.Extensions.Hosting;
using E = Ipvs.Engine;

namespace Ipvs.Daemon.Hosting;

/// <summary>
/// A hosted service that only listens to the engine: it subscribes when created (before any hosted service starts,
/// so no event is missed) and unsubscribes when disposed. <see cref="OnEvent"/> runs on the engine's loop: O(1), no
/// I/O. A subclass sets its fields in initialisers, which C# runs before this constructor subscribes.
/// </summary>
public abstract class EngineEventSubscriber : IHostedService, IDisposable
{
    private readonly E.HealthEngine _engine;

    protected EngineEventSubscriber(E.HealthEngine engine)
    {
        _engine = engine;
        engine.EventRaised += OnEvent;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        _engine.EventRaised -= OnEvent;
        GC.SuppressFinalize(this);
    }

    internal abstract void OnEvent(E.EngineEvent e);
}
