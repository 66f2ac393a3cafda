namespace Ipvs.Engine;

/// <summary>Steps a realserver's slow-start ramp on the wheel: each firing re-evaluates its service.</summary>
internal sealed class SlowStartTimer(RealServerState realServer) : WheelEntry
{
    public RealServerState RealServer { get; } = realServer;

    public EngineCore? Core;

    public override void OnDue(long now) => Core?.OnRampDue(RealServer);
}
