using System.Net;
using System.Net.Sockets;

namespace Ipvs.Checks.Tests.Fixtures;

/// <summary>
/// A loopback port whose accept queue is full: the kernel drops further SYNs (tcp_abort_on_overflow=0), so a connect
/// hangs until the client gives up — a silent realserver without leaving loopback.
/// </summary>
internal sealed class Blackhole : IDisposable
{
    private readonly Socket _listener;
    private readonly List<Socket> _fillers = [];

    private Blackhole(Socket listener) => _listener = listener;

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    public static Blackhole Start()
    {
        var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var hole = new Blackhole(listener);
        // Backlog 0 still admits one connection; fill it (and a spare) with connections nobody accepts.
        for (var i = 0; i < 2; i++)
        {
            var s = new Socket(SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
            try
            {
                s.Connect(hole.EndPoint);
            }
            catch (SocketException)
            {
            }
            hole._fillers.Add(s);
        }
        Thread.Sleep(50);
        return hole;
    }

    public void Dispose()
    {
        foreach (var s in _fillers)
        {
            s.Dispose();
        }
        _listener.Dispose();
    }
}
