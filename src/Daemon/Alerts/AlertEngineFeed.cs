using Microsoft.Extensions.Hosting;
using E = Ipvs.Engine;

namespace Ipvs.Daemon.Alerts;

/// <summary>Passes the engine's up/down transitions to the alert service (subscribed when created, so none is missed).</summary>
public sealed class AlertEngineFeed : IHostedService, IDisposable
{
    private readonly E.HealthEngine _engine;
    private readonly AlertService _alerts;

    public AlertEngineFeed(E.HealthEngine engine, AlertService alerts)
    {
        _engine = engine;
        _alerts = alerts;
        engine.EventRaised += OnEvent;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _engine.EventRaised -= OnEvent;

    private void OnEvent(E.EngineEvent e)
    {
        if (e.Kind != E.EngineEventKind.HealthChanged || e.VirtualService is null || e.RealServer is null)
        {
            return;
        }
        var up = string.Equals(e.To, "up", StringComparison.OrdinalIgnoreCase);
        if (up || string.Equals(e.To, "down", StringComparison.OrdinalIgnoreCase))
        {
            _alerts.Post(new HealthTransition(e.At, e.VirtualService, e.RealServer, up, up ? null : e.Result?.Reason ?? e.Why));
        }
    }
}
