using System.Net;
using System.Net.Sockets;

namespace Ipvs.Daemon.Tests.Faults;

/// <summary>
/// A realserver that is alive: a loopback TCP listener that accepts and closes every connection, so its accept queue
/// never fills however long the test runs. <see cref="Stop"/> kills it: from then on its port refuses (RST).
/// </summary>
internal sealed class LiveListener : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly Task _loop;

    public LiveListener()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _socket.Listen(512);
        EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _loop = AcceptAsync();
    }

    public IPEndPoint EndPoint { get; }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                using var connection = await _socket.AcceptAsync();
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    public void Stop()
    {
        _socket.Dispose();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }

    public void Dispose() => Stop();
}
