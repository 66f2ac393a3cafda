using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ipvs.Daemon.Demo;

/// <summary>
/// One simulated realserver on a loopback address: a plain TCP listener that speaks just enough HTTP/1.x for a
/// health check. Each connection is served with one deadline and a bounded read, then closed.
/// </summary>
internal sealed class SimulatedRealServer : IAsyncDisposable
{
    private static readonly byte[] Ok = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n");
    private static readonly byte[] Unavailable = Encoding.ASCII.GetBytes("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: close\r\n\r\nbusy\n");
    private static readonly TimeSpan ConnectionDeadline = TimeSpan.FromSeconds(2);

    private readonly object _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;

    public SimulatedRealServer(IPEndPoint endPoint) => EndPoint = endPoint;

    public IPEndPoint EndPoint { get; }

    public SimulatedBehaviour Behaviour { get; private set; } = SimulatedBehaviour.Refuse;

    private long _served;

    /// <summary>Requests answered so far.</summary>
    public long Served => Interlocked.Read(ref _served);

    /// <summary>Switches behaviour: opens or closes the listener as needed.</summary>
    public void Set(SimulatedBehaviour behaviour)
    {
        lock (_gate)
        {
            if (behaviour == Behaviour)
            {
                return;
            }
            if (behaviour == SimulatedBehaviour.Refuse)
            {
                _listener?.Dispose();
                _listener = null;
            }
            else if (_listener is null)
            {
                var s = new Socket(EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                    s.Bind(EndPoint);
                    s.Listen(64);
                }
                catch
                {
                    s.Dispose();
                    throw;
                }
                _listener = s;
                _acceptLoop = AcceptLoop(s);
            }
            Behaviour = behaviour;
        }
    }

    private async Task AcceptLoop(Socket listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return; // listener closed (Refuse) or farm stopped
            }
            _ = Serve(client);
        }
    }

    private async Task Serve(Socket client)
    {
        using (client)
        using (var cts = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
        {
            cts.CancelAfter(ConnectionDeadline);
            try
            {
                // Read the request head (bounded); a TCP check closes without sending anything, which ends it too.
                var buffer = new byte[2048];
                var used = 0;
                while (used < buffer.Length)
                {
                    var n = await client.ReceiveAsync(buffer.AsMemory(used), SocketFlags.None, cts.Token).ConfigureAwait(false);
                    if (n == 0)
                    {
                        return;
                    }
                    used += n;
                    if (buffer.AsSpan(0, used).IndexOf("\r\n\r\n"u8) >= 0)
                    {
                        break;
                    }
                }
                var reply = Behaviour == SimulatedBehaviour.Unhealthy ? Unavailable : Ok;
                await client.SendAsync(reply, SocketFlags.None, cts.Token).ConfigureAwait(false);
                Interlocked.Increment(ref _served);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The checker hung up or the deadline passed: nothing to do for a simulator.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        lock (_gate)
        {
            _listener?.Dispose();
            _listener = null;
        }
        await _acceptLoop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
