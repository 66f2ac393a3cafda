using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Ipvs.Bench.Farm;

/// <summary>Per-connection protocol handling.</summary>
public sealed partial class FarmServer
{
    private static readonly byte[] HttpOk = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
    private static readonly byte[] Http503 = Encoding.ASCII.GetBytes("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\nConnection: close\r\n\r\ndown");
    private static readonly byte[] SmtpBanner = Encoding.ASCII.GetBytes("220 farm.test ESMTP\r\n");
    private static readonly byte[] AgentUp = Encoding.ASCII.GetBytes("up ready 100%\n");
    private static readonly byte[] AgentDown = Encoding.ASCII.GetBytes("down #farm says down\n");
    private static readonly byte[] SmtpBad = Encoding.ASCII.GetBytes("554 farm.test no service\r\n");
    private static readonly TimeSpan ConnectionLimit = TimeSpan.FromSeconds(30);

    private async Task ServeAsync(Socket socket)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        cts.CancelAfter(ConnectionLimit); // nothing a client does keeps a farm connection forever
        var ct = cts.Token;
        try
        {
            using var network = new NetworkStream(socket, ownsSocket: true);
            var behaviour = Effective;
            if (behaviour == FarmBehaviour.Hang)
            {
                var sink = new byte[512];
                while (await network.ReadAsync(sink, ct).ConfigureAwait(false) > 0)
                {
                }
                return;
            }
            if (behaviour == FarmBehaviour.Slow)
            {
                await Task.Delay(SlowDelay, ct).ConfigureAwait(false);
            }
            var wrong = behaviour == FarmBehaviour.WrongStatus;
            switch (Protocol)
            {
                case FarmProtocol.Tcp:
                    break;
                case FarmProtocol.Http:
                    await ServeHttpAsync(network, wrong, ct).ConfigureAwait(false);
                    break;
                case FarmProtocol.Https:
                    using (var tls = new SslStream(network, leaveInnerStreamOpen: true))
                    {
                        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, ct).ConfigureAwait(false);
                        await ServeHttpAsync(tls, wrong, ct).ConfigureAwait(false);
                        // close_notify before the close, as real TLS servers send: OpenSSL 3 clients (keepalived's
                        // SSL_GET) count an EOF without it as an error and fail the check.
                        await tls.ShutdownAsync().ConfigureAwait(false);
                    }
                    break;
                case FarmProtocol.Smtp:
                    await ServeSmtpAsync(network, wrong, ct).ConfigureAwait(false);
                    break;
                case FarmProtocol.Dns:
                    await ServeDnsTcpAsync(network, wrong, ct).ConfigureAwait(false);
                    break;
                case FarmProtocol.Agent:
                    await network.WriteAsync(wrong ? AgentDown : AgentUp, ct).ConfigureAwait(false);
                    break;
            }
            Interlocked.Increment(ref _answered);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
        {
            // the client went away or misbehaved: that connection ends, the server goes on
        }
    }

    private static async Task ServeHttpAsync(Stream stream, bool wrong, CancellationToken ct)
    {
        var buffer = new byte[8192];
        var filled = 0;
        while (filled < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(filled), ct).ConfigureAwait(false);
            if (n == 0)
            {
                return;
            }
            filled += n;
            if (buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8) >= 0)
            {
                break;
            }
        }
        // A path under /fail answers 503 whatever the behaviour: one url of a realserver failing while the others pass.
        var failPath = buffer.AsSpan(0, filled).IndexOf(" /fail"u8) is >= 0 and < 16;
        await stream.WriteAsync(wrong || failPath ? Http503 : HttpOk, ct).ConfigureAwait(false);
    }

    private static async Task ServeSmtpAsync(Stream stream, bool wrong, CancellationToken ct)
    {
        await stream.WriteAsync(wrong ? SmtpBad : SmtpBanner, ct).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.ASCII, false, 512, leaveOpen: true);
        for (var i = 0; i < 20; i++)
        {
            var line = await reader.ReadLineAsync(ct).ConfigureAwait(false);
            if (line is null)
            {
                return;
            }
            var verb = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
            var reply = verb switch
            {
                "EHLO" => "250-farm.test\r\n250 SIZE 1000000\r\n",
                "HELO" => "250 farm.test\r\n",
                "QUIT" => "221 bye\r\n",
                _ => "500 unknown\r\n",
            };
            await stream.WriteAsync(Encoding.ASCII.GetBytes(reply), ct).ConfigureAwait(false);
            if (verb == "QUIT")
            {
                return;
            }
        }
    }

    private static async Task ServeDnsTcpAsync(Stream stream, bool wrong, CancellationToken ct)
    {
        var len = new byte[2];
        await stream.ReadExactlyAsync(len, ct).ConfigureAwait(false);
        var query = new byte[BinaryPrimitives.ReadUInt16BigEndian(len)];
        await stream.ReadExactlyAsync(query, ct).ConfigureAwait(false);
        var reply = new byte[query.Length + 64];
        var n = DnsAnswer.Build(query, reply.AsSpan(2), wrong ? 2 : 0);
        BinaryPrimitives.WriteUInt16BigEndian(reply, (ushort)n);
        await stream.WriteAsync(reply.AsMemory(0, n + 2), ct).ConfigureAwait(false);
    }

    private async Task UdpLoopAsync(Socket udp)
    {
        var query = new byte[512];
        var reply = new byte[600];
        EndPoint any = new IPEndPoint(EndPoint.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult got;
            try
            {
                got = await udp.ReceiveFromAsync(query, SocketFlags.None, any, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }
            Interlocked.Increment(ref _connections);
            var behaviour = Effective;
            if (behaviour is FarmBehaviour.Hang or FarmBehaviour.Blackhole)
            {
                continue;
            }
            if (behaviour == FarmBehaviour.Slow)
            {
                await Task.Delay(SlowDelay, _stop.Token).ConfigureAwait(false);
            }
            var n = DnsAnswer.Build(query.AsSpan(0, got.ReceivedBytes), reply, behaviour == FarmBehaviour.WrongStatus ? 2 : 0);
            if (n > 0)
            {
                try
                {
                    await udp.SendToAsync(reply.AsMemory(0, n), SocketFlags.None, got.RemoteEndPoint, _stop.Token).ConfigureAwait(false);
                    Interlocked.Increment(ref _answered);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
