using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Ipvs.Checks;
using Ipvs.Daemon.Web;
using Ipvs.Engine;
using Ipvs.Netlink;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Ipvs.Daemon.Tests.Web;

/// <summary>
/// A realserver with two http checks over the real engine, against a real HTTP server on loopback whose /ready
/// fails: it is down, and the status API and /metrics say which check failed.
/// </summary>
public sealed class MultiCheckWebTests : IAsyncLifetime
{
    private static readonly ServiceKey Vip = ServiceKey.ForAddress(IpvsProtocol.Tcp, IPEndPoint.Parse("10.0.0.1:80"));
    private readonly CancellationTokenSource _stop = new();
    private TcpListener _server = null!;
    private IPEndPoint _ep = null!;
    private WebHost _host = null!;
    private HealthEngine _engine = null!;
    private Task _serving = Task.CompletedTask;

    public async ValueTask InitializeAsync()
    {
        _server = new TcpListener(IPAddress.Loopback, 0);
        _server.Start();
        _ep = (IPEndPoint)_server.LocalEndpoint;
        _serving = ServeAsync(_stop.Token);
        _host = await WebHost.StartWithEngineAsync(
            checks => new HealthEngine(new InMemoryIpvsTable(), new InMemoryAdminStateStore(), checks), new WebOptions());
        _engine = _host.Services.GetRequiredService<HealthEngine>();
        var schedule = new CheckSchedule(TimeSpan.FromMilliseconds(200), Rise: 1, Fall: 1);
        var target = new CheckTarget(_ep, _ep, "web");
        RealServerCheck Http(string path) => new(new HttpCheckSpec { Path = path, Timeout = TimeSpan.FromMilliseconds(500) }, target, schedule);
        _engine.ApplyTopology(new Topology(
            [new VirtualServiceSpec("web", new ServiceConfig(Vip, "wlc"), [new RealServerSpec(_ep, 10, ForwardMethod.Masquerade, [Http("/health"), Http("/ready")])])],
            new EngineOptions { ReconcileInterval = TimeSpan.FromMilliseconds(200) }));
        await _engine.StartAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _engine.StopAsync(CancellationToken.None);
        await _host.DisposeAsync();
        await _stop.CancelAsync();
        _server.Stop();
        await _serving.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    [Fact]
    public async Task Status_SecondCheckFails_RealServerDownAndTheFailingCheckNamed()
    {
        var rs = await WaitAsync(r => r.GetProperty("health").GetString() == "down"
            && r.GetProperty("checks").EnumerateArray().All(c => c.GetProperty("result").GetString() != "none"));

        var checks = rs.GetProperty("checks").EnumerateArray().ToList();
        Assert.Equal(["http /health", "http /ready"], checks.Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(["up", "down"], checks.Select(c => c.GetProperty("health").GetString()));
        Assert.Equal(["pass", "fail"], checks.Select(c => c.GetProperty("result").GetString()));
        Assert.Equal("status 503", checks[1].GetProperty("reason").GetString());
        Assert.Equal("http /ready", rs.GetProperty("last_check").GetProperty("check").GetString());
        Assert.Equal(0, rs.GetProperty("weight").GetProperty("desired").GetInt32());

        var metrics = await _host.Client.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        var labels = $"virtual_service=\"web\",local_address=\"10.0.0.1\",local_port=\"80\",local_mark=\"\",proto=\"TCP\",remote_address=\"127.0.0.1\",remote_port=\"{_ep.Port}\"";
        Assert.Contains($"ipvs_checkd_check_up{{{labels},check=\"http /health\"}} 1", metrics);
        Assert.Contains($"ipvs_checkd_check_up{{{labels},check=\"http /ready\"}} 0", metrics);
        Assert.Contains($"ipvs_checkd_check_last_result{{{labels},check=\"http /ready\"}} 2", metrics);
    }

    private async Task<JsonElement> WaitAsync(Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var json = await _host.Client.GetStringAsync("/api/v1/status", TestContext.Current.CancellationToken);
            var rs = JsonDocument.Parse(json).RootElement.GetProperty("virtual_services")[0].GetProperty("realservers")[0];
            if (done(rs) || DateTime.UtcNow > deadline)
            {
                return rs;
            }
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    // /ready answers 503, everything else 200; one request per connection.
    private async Task ServeAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            using var client = await _server.AcceptTcpClientAsync(ct);
            var stream = client.GetStream();
            var buffer = new byte[2048];
            var n = await stream.ReadAsync(buffer, ct);
            var request = Encoding.ASCII.GetString(buffer, 0, n);
            var status = request.StartsWith("GET /ready ", StringComparison.Ordinal) ? "503 Unavailable" : "200 OK";
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), ct);
        }
    }
}
