namespace Ipvs.Engine;

/// <summary>Ends a realserver's flap-damping hold on the wheel.</summary>
internal sealed class DampingTimer(RealServerState realServer) : WheelEntry
{
    public RealServerState RealServer { get; } = realServer;

    public EngineCore? Core;

    public override void OnDue(long now) => Core?.OnDampingDue(RealServer);
}
