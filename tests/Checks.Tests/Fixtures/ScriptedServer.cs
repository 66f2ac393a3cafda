using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Ipvs.Checks.Tests.Fixtures;

/// <summary>
/// A real TCP server on loopback whose every connection runs <c>handler</c> — well-behaved or hostile. With a
/// certificate it speaks TLS first. Connections end when the test disposes the server.
/// </summary>
internal sealed class ScriptedServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Func<Stream, CancellationToken, Task> _handler;
    private readonly X509Certificate2? _certificate;
    private readonly bool _requireClientCertificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private int _accepted;

    public ScriptedServer(Func<Stream, CancellationToken, Task> handler, X509Certificate2? certificate = null, bool requireClientCertificate = false, IPAddress? address = null)
    {
        _handler = handler;
        _certificate = certificate;
        _requireClientCertificate = requireClientCertificate;
        address ??= IPAddress.Loopback;
        _listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(address, 0));
        _listener.Listen(128);
        _ = AcceptLoopAsync();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>True once a client presented a certificate (TLS servers).</summary>
    public bool SawClientCertificate { get; private set; }

    public static ScriptedServer Reply(string response, X509Certificate2? certificate = null) => new(async (s, ct) =>
    {
        await ReadRequestAsync(s, ct);
        await s.WriteAsync(System.Text.Encoding.ASCII.GetBytes(response), ct);
    }, certificate);

    /// <summary>Reads until the end of an HTTP request header (bounded).</summary>
    public static async Task ReadRequestAsync(Stream s, CancellationToken ct)
    {
        var buf = new byte[4096];
        var filled = 0;
        while (filled < buf.Length)
        {
            var n = await s.ReadAsync(buf.AsMemory(filled), ct);
            if (n == 0)
            {
                return;
            }
            filled += n;
            if (buf.AsSpan(0, filled).IndexOf("\r\n\r\n"u8) >= 0)
            {
                return;
            }
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket s;
            try
            {
                s = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }
            Interlocked.Increment(ref _accepted);
            lock (_connections)
            {
                _connections.Add(ServeAsync(s));
            }
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        try
        {
            await using var network = new NetworkStream(socket, ownsSocket: true);
            if (_certificate is null)
            {
                await _handler(network, _stop.Token);
                return;
            }
            await using var tls = new SslStream(network, false, (_, cert, _, _) =>
            {
                SawClientCertificate |= cert is not null;
                return true;
            });
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = _certificate,
                ClientCertificateRequired = _requireClientCertificate,
            }, _stop.Token);
            if (_requireClientCertificate && tls.RemoteCertificate is null)
            {
                return;
            }
            await _handler(tls, _stop.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        Task[] pending;
        lock (_connections)
        {
            pending = [.. _connections];
        }
        await Task.WhenAll(pending).WaitAsync(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }
}
