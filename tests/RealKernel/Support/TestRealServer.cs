using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ipvs.RealKernel.Tests.Support;

/// <summary>
/// A realserver for end-to-end tests: a tiny HTTP server on a loopback address that can be stopped (its port then
/// answers SYNs with RST), hung (it accepts and never answers, so checks time out) and started again.
/// </summary>
internal sealed class TestRealServer : IDisposable
{
    private static readonly byte[] Response = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nok");

    private readonly Lock _lock = new();
    private readonly List<Socket> _held = [];
    private Socket? _listener;
    private volatile bool _hang;
    private int _served;

    public TestRealServer(IPEndPoint endPoint) => EndPoint = endPoint;

    public IPEndPoint EndPoint { get; }

    /// <summary>Requests answered with 200 since construction.</summary>
    public int Served => Volatile.Read(ref _served);

    public override string ToString() => EndPoint.ToString();

    /// <summary>Listens (again) and answers every request with 200.</summary>
    public TestRealServer Start()
    {
        lock (_lock)
        {
            _hang = false;
            ReleaseHeld();
            if (_listener is not null)
            {
                return this;
            }
            var s = new Socket(EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            s.Bind(EndPoint);
            s.Listen(64);
            _listener = s;
            _ = AcceptLoop(s);
        }
        return this;
    }

    /// <summary>Closes the listener: connections are refused with RST until <see cref="Start"/>.</summary>
    public void Stop()
    {
        lock (_lock)
        {
            _listener?.Dispose();
            _listener = null;
            ReleaseHeld();
        }
    }

    /// <summary>Keeps accepting but never answers: a check of this server can only time out.</summary>
    public void Hang() => _hang = true;

    public void Dispose() => Stop();

    private void ReleaseHeld()
    {
        foreach (var c in _held)
        {
            c.Dispose();
        }
        _held.Clear();
    }

    private async Task AcceptLoop(Socket listener)
    {
        while (true)
        {
            Socket c;
            try
            {
                c = await listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
            if (_hang)
            {
                lock (_lock)
                {
                    _held.Add(c);
                }
                continue;
            }
            _ = Serve(c);
        }
    }

    private async Task Serve(Socket c)
    {
        using (c)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                var buffer = new byte[4096];
                var seen = 0;
                // Read the request head (a check sends a few hundred bytes at most), then answer and close.
                while (seen < buffer.Length)
                {
                    var n = await c.ReceiveAsync(buffer.AsMemory(seen), SocketFlags.None, cts.Token).ConfigureAwait(false);
                    if (n == 0)
                    {
                        return;
                    }
                    seen += n;
                    if (buffer.AsSpan(0, seen).IndexOf("\r\n\r\n"u8) >= 0)
                    {
                        break;
                    }
                }
                await c.SendAsync(Response, SocketFlags.None, cts.Token).ConfigureAwait(false);
                Interlocked.Increment(ref _served);
                c.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // A check that gave up, or the test stopping the server: nothing to answer.
            }
        }
    }
}
