using System.Net;

namespace Ipvs.Daemon.Demo;

/// <summary>What <c>demo</c> was asked for.</summary>
/// <param name="Listen">Where the status page listens; port 0 picks a free one.</param>
/// <param name="ChaosPeriod">How often the simulator fails or recovers something; null turns it off (tests drive the farm themselves).</param>
internal sealed record DemoOptions(IPEndPoint Listen, int Services = 50, int RealServers = 4, TimeSpan? ChaosPeriod = null, int FirstPort = DemoFarm.DefaultFirstPort)
{
    public static readonly IPEndPoint DefaultListen = new(IPAddress.Loopback, 9480);
}
