using System.Net;
using System.Net.Sockets;

namespace Ipvs.Checks.Tests.Fixtures;

internal static class Ports
{
    /// <summary>A loopback TCP port nothing listens on (bound then released; the kernel does not hand it out again at once).</summary>
    public static int Unused()
    {
        using var s = new Socket(SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }
}
