using System.Net;
using System.Net.Sockets;
using System.Text;
using Ipvs.Checks;
using Ipvs.Daemon.Web;
using Ipvs.Engine;
using Ipvs.Netlink;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Ipvs.Daemon.Tests.Web;

/// <summary>
/// Check credentials — an HTTP Authorization header, an SMTP AUTH line — against hostile realservers on loopback that
/// echo everything they receive back in their failing answers. The read-only side (/api/v1/status, /metrics, the page
/// and its script) and every log line must carry none of it, nor the admin token.
/// </summary>
public sealed class SecretExposureTests : IAsyncLifetime
{
    private const string HttpSecret = "QWxhZGRpbjpvcGVuIHNlc2FtZQ";
    private const string SmtpSecret = "AGFsaWNlAHdvbmRlcmxhbmQ";
    private const string AdminSecret = "admin-token-never-shown-42";
    private static readonly ServiceKey Vip = ServiceKey.ForAddress(IpvsProtocol.Tcp, IPEndPoint.Parse("10.0.0.1:80"));
    private readonly string _tokenFile = Path.Combine(Path.GetTempPath(), $"ipvs-checkd-token-{Guid.NewGuid():N}");
    private readonly CapturingLoggerProvider _logs = new();
    private readonly CancellationTokenSource _stop = new();
    private TcpListener _echoHttp = null!;
    private TcpListener _echoSmtp = null!;
    private WebApplication _app = null!;
    private HealthEngine _engine = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        await TokenFile.WriteAsync(_tokenFile, AdminSecret);
        _echoHttp = Serve(async (stream, ct) =>
        {
            // 401 with the whole request — Authorization header included — in a header and in the body.
            var request = await ReadUntilAsync(stream, "\r\n\r\n"u8.ToArray(), ct);
            var echo = Encoding.ASCII.GetString(request).Replace("\r\n", " | ", StringComparison.Ordinal);
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 401 {echo}\r\nX-Echo: {echo}\r\nContent-Length: {echo.Length}\r\n\r\n{echo}"), ct);
        });
        _echoSmtp = Serve(async (stream, ct) =>
        {
            await stream.WriteAsync("220 mail.test ready\r\n"u8.ToArray(), ct);
            var line = await ReadUntilAsync(stream, "\n"u8.ToArray(), ct);
            await stream.WriteAsync(Encoding.ASCII.GetBytes("535 5.7.8 rejected " + Encoding.ASCII.GetString(line)), ct);
        });

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(_logs);
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddIpvsWeb(new WebOptions { AdminTokenFile = _tokenFile });
        builder.Services.AddSingleton(sp => new HealthEngine(new InMemoryIpvsTable(), new InMemoryAdminStateStore(),
            sp.GetRequiredService<IHealthCheckFactory>(), TimeProvider.System, sp.GetRequiredService<ILoggerFactory>()));
        _app = builder.Build();
        _app.MapIpvsWeb();
        await _app.StartAsync();
        _engine = _app.Services.GetRequiredService<HealthEngine>();
        var http = (IPEndPoint)_echoHttp.LocalEndpoint;
        var smtp = (IPEndPoint)_echoSmtp.LocalEndpoint;
        _engine.ApplyTopology(new Topology([new VirtualServiceSpec("web", new ServiceConfig(Vip, "wlc"),
        [
            RealServer(http, new HttpCheckSpec { Headers = [new HttpHeader("Authorization", "Basic " + HttpSecret)], Timeout = TimeSpan.FromSeconds(1) }),
            RealServer(smtp, new ExpectCheckSpec
            {
                Steps = [ExpectStep.Expect("220"), ExpectStep.Send($"AUTH PLAIN {SmtpSecret}\r\n"), ExpectStep.Expect("235")],
                Timeout = TimeSpan.FromSeconds(1),
            }),
        ])], new EngineOptions()));
        await _engine.StartAsync(TestContext.Current.CancellationToken);
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(20) };
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _engine.StopAsync(CancellationToken.None);
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _stop.CancelAsync();
        _echoHttp.Dispose();
        _echoSmtp.Dispose();
        _stop.Dispose();
        File.Delete(_tokenFile);
    }

    private static RealServerSpec RealServer(IPEndPoint ep, CheckSpec spec) => new(ep, 10, ForwardMethod.Masquerade,
        [new RealServerCheck(spec, new CheckTarget(ep, ep, "web"), new CheckSchedule(TimeSpan.FromMilliseconds(200), Rise: 1, Fall: 1))]);

    [Fact]
    public async Task ReadOnlyEndpointsAndLogs_ServersEchoingCredentials_CarryNoSecret()
    {
        // Both checks have failed (and so have reasons to show) at least once.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string status;
        while (true)
        {
            status = await _client.GetStringAsync("/api/v1/status", TestContext.Current.CancellationToken);
            if (status.Split("\"result\":\"fail\"").Length - 1 >= 2)
            {
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, "both checks did not fail within 30 s: " + status);
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        // The reasons are there, just without the echo: proof the hostile answers were read and shown.
        Assert.Contains("status 401", status, StringComparison.Ordinal);
        Assert.Contains("535 5.7.8 rejected ", status, StringComparison.Ordinal);
        using (var wrong = new HttpRequestMessage(HttpMethod.Post, "/api/v1/reload"))
        {
            wrong.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminSecret + "-wrong");
            using var refused = await _client.SendAsync(wrong, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        var bodies = new[]
        {
            status,
            await _client.GetStringAsync("/metrics", TestContext.Current.CancellationToken),
            await _client.GetStringAsync("/", TestContext.Current.CancellationToken),
            await _client.GetStringAsync("/assets/app.js", TestContext.Current.CancellationToken),
        };

        Assert.NotEmpty(_logs.Lines);
        foreach (var secret in new[] { HttpSecret, SmtpSecret, AdminSecret })
        {
            foreach (var piece in Pieces(secret))
            {
                Assert.All(bodies, b => Assert.DoesNotContain(piece, b, StringComparison.Ordinal));
                Assert.All(_logs.Lines, l => Assert.DoesNotContain(piece, l, StringComparison.Ordinal));
            }
        }
    }

    // Any 8 characters of a secret count: a truncated echo still leaks.
    private static IEnumerable<string> Pieces(string secret)
    {
        for (var i = 0; i + 8 <= secret.Length; i++)
        {
            yield return secret.Substring(i, 8);
        }
    }

    private TcpListener Serve(Func<NetworkStream, CancellationToken, Task> handler)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
                {
                    return;
                }
                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                        timeout.CancelAfter(TimeSpan.FromSeconds(5));
                        try
                        {
                            await handler(client.GetStream(), timeout.Token);
                        }
                        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
                        {
                        }
                    }
                });
            }
        });
        return listener;
    }

    private static async Task<byte[]> ReadUntilAsync(Stream stream, byte[] end, CancellationToken ct)
    {
        var buffer = new byte[8192];
        var filled = 0;
        while (filled < buffer.Length && buffer.AsSpan(0, filled).IndexOf(end) < 0)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(filled), ct);
            if (n == 0)
            {
                break;
            }
            filled += n;
        }
        return buffer[..filled];
    }
}
