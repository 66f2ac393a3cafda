using System.Net;

namespace Ipvs.Engine;

/// <summary>In-flight accounting for one probed host, with the checks waiting for its cap.</summary>
internal sealed class HostSlot(IPAddress address)
{
    public IPAddress Address { get; } = address;

    public int InFlight;

    public readonly Queue<ProbeRunner> Waiting = new();

    public int Users;
}
