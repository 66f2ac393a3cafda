using System.Net;
using Ipvs.Daemon.Web.Status;
using Ipvs.Daemon.Hosting;
using E = Ipvs.Engine;

namespace Ipvs.Daemon.Web.Adapters;

/// <summary>
/// Keeps the transition log and per-realserver transition counts from the engine's events (subscribed when
/// created, so none is missed). Runs on the engine's loop: O(1), no I/O.
/// </summary>
public sealed class EngineEventFeed(E.HealthEngine engine, TransitionLog log, TransitionCounter counter) : EngineEventSubscriber(engine)
{
    private readonly TransitionLog _log = log;
    private readonly TransitionCounter _counter = counter;

    internal override void OnEvent(E.EngineEvent e)
    {
        switch (e.Kind)
        {
            case E.EngineEventKind.HealthChanged when e.VirtualService is not null && e.RealServer is not null:
                _counter.Increment(e.VirtualService, e.RealServer);
                _log.Record(new TransitionEntry(e.At, e.VirtualService, Endpoint(e.RealServer), e.From, e.To, e.Why));
                break;
            case E.EngineEventKind.FlapDampingStarted or E.EngineEventKind.FlapDampingEnded when e.VirtualService is not null && e.RealServer is not null:
                _log.Record(new TransitionEntry(e.At, e.VirtualService, Endpoint(e.RealServer), e.From, e.To, e.Why));
                break;
            case E.EngineEventKind.AdminChanged when e.VirtualService is not null && e.RealServer is not null:
                _log.Record(new TransitionEntry(e.At, e.VirtualService, Endpoint(e.RealServer), e.From, e.To, $"{e.Why} ({e.Who})"));
                break;
            case E.EngineEventKind.QuorumLost or E.EngineEventKind.QuorumRestored or E.EngineEventKind.MassFailureHeld
                or E.EngineEventKind.SorryServerOn or E.EngineEventKind.SorryServerOff when e.VirtualService is not null:
                _log.Record(new TransitionEntry(e.At, e.VirtualService, "", e.From, e.To, e.Why));
                break;
        }
    }

    private static string Endpoint(IPEndPoint ep) => ep.ToString();
}
