using Ipvs.Daemon.Hosting;
using E = Ipvs.Engine;

namespace Ipvs.Daemon.Alerts;

/// <summary>Passes the engine's up/down transitions to the alert service (subscribed when created, so none is missed).</summary>
public sealed class AlertEngineFeed(E.HealthEngine engine, AlertService alerts) : EngineEventSubscriber(engine)
{
    private readonly AlertService _alerts = alerts;

    internal override void OnEvent(E.EngineEvent e)
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
