namespace Ipvs.Engine;

/// <summary>
/// The engine's one wheel entry for re-checks of lag-distrusted failures, with their queue: it fires a tick after a
/// failure is queued and again each tick while any wait, and starts them only on passes that run on time.
/// </summary>
internal sealed class RecheckTimer(EngineCore core) : WheelEntry
{
    public Queue<ProbeRunner> Queue { get; } = new();

    public override void OnDue(long now) => core.OnRecheckDue(now);
}
