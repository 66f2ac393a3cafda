using Ipvs.Daemon.Hosting;
using E = Ipvs.Engine;

namespace Ipvs.Daemon.Alerts;

/// <summary>
/// Passes the engine's up/down transitions to the alert service (subscribed when created, so none is missed).
/// A realserver in maintenance is expected to go down (that is what maintenance is for), so its failure pages
/// nobody; if it is still down when maintenance ends, that is news, and it is alerted then. A mass-failure hold of a
/// virtual service is alerted once, when it starts.
/// </summary>
public sealed class AlertEngineFeed(E.HealthEngine engine, AlertService alerts) : EngineEventSubscriber(engine)
{
    private const string Maintenance = "maintenance";
    private readonly AlertService _alerts = alerts;

    internal override void OnEvent(E.EngineEvent e)
    {
        if (e.Kind == E.EngineEventKind.MassFailureHeld && e.VirtualService is not null)
        {
            _alerts.PostMassFailureHold(e.VirtualService, e.Why, e.At);
            return;
        }
        if (e.VirtualService is null || e.RealServer is null)
        {
            return;
        }
        if (e.Kind == E.EngineEventKind.HealthChanged)
        {
            var up = string.Equals(e.To, "up", StringComparison.Ordinal);
            if (!up && !string.Equals(e.To, "down", StringComparison.Ordinal))
            {
                return;
            }
            if (!up && string.Equals(e.Admin, Maintenance, StringComparison.Ordinal))
            {
                return;
            }
            // The failing check is named in the reason: with several checks per realserver, which one failed matters.
            var reason = e.Result?.Reason is { } r && e.Check is { } check ? check + ": " + r : e.Result?.Reason ?? e.Why;
            _alerts.Post(new HealthTransition(e.At, e.VirtualService, e.RealServer, up, up ? null : reason));
        }
        else if (e.Kind == E.EngineEventKind.AdminChanged
            && e.From.StartsWith(Maintenance, StringComparison.Ordinal)
            && !e.To.StartsWith(Maintenance, StringComparison.Ordinal)
            && string.Equals(e.Health, "down", StringComparison.Ordinal))
        {
            _alerts.Post(new HealthTransition(e.At, e.VirtualService, e.RealServer, false, "still down when maintenance ended"));
        }
    }
}
