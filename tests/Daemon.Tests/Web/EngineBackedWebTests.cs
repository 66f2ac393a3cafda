using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
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
/// The web side over the real engine (in-memory IPVS table) with real TCP checks against listeners on loopback:
/// what /api/v1/status, /metrics and the page show follows what the realservers do.
/// </summary>
public sealed class EngineBackedWebTests : IAsyncLifetime
{
    private const string Secret = "engine-backed-token-77";
    private static readonly ServiceKey Vip = ServiceKey.ForAddress(IpvsProtocol.Tcp, IPEndPoint.Parse("10.0.0.1:80"));
    private readonly string _tokenFile = Path.Combine(Path.GetTempPath(), $"ipvs-checkd-token-{Guid.NewGuid():N}");
    private readonly InMemoryIpvsTable _table = new();
    private TcpListener _alive = null!;
    private IPEndPoint _aliveEp = null!;
    private IPEndPoint _deadEp = null!;
    private WebApplication _app = null!;
    private HealthEngine _engine = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        await File.WriteAllTextAsync(_tokenFile, Secret);
        _alive = new TcpListener(IPAddress.Loopback, 0);
        _alive.Start();
        _aliveEp = (IPEndPoint)_alive.LocalEndpoint;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            _deadEp = (IPEndPoint)probe.LocalEndpoint; // closed again at once: connecting to it is refused
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddIpvsWeb(new WebOptions { AdminTokenFile = _tokenFile });
        builder.Services.AddSingleton(sp => new HealthEngine(_table, new InMemoryAdminStateStore(), sp.GetRequiredService<IHealthCheckFactory>()));
        _app = builder.Build();
        _app.MapIpvsWeb();
        await _app.StartAsync();
        _engine = _app.Services.GetRequiredService<HealthEngine>();
        _engine.ApplyTopology(new Topology([Service(_aliveEp, _deadEp)], new EngineOptions { ReconcileInterval = TimeSpan.FromMilliseconds(200) }));
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
        _alive.Dispose();
        File.Delete(_tokenFile);
    }

    private static VirtualServiceSpec Service(params IPEndPoint[] servers) => new(
        "web",
        new ServiceConfig(Vip, "wlc"),
        [.. servers.Select(ep => new RealServerSpec(ep, 10, ForwardMethod.Masquerade,
            [new RealServerCheck(new TcpCheckSpec { Timeout = TimeSpan.FromMilliseconds(500) }, new CheckTarget(ep, ep, "web"),
                new CheckSchedule(TimeSpan.FromMilliseconds(200), Rise: 1, Fall: 1))]))]);

    [Fact]
    public async Task Status_RealChecksOnLoopback_ShowsLiveAndRefusedRealservers()
    {
        var web = await WaitForStatus(vs => Health(vs, _aliveEp) == "up" && Health(vs, _deadEp) == "down");

        var dead = Realserver(web, _deadEp);
        Assert.Equal("fail", dead.GetProperty("last_check").GetProperty("result").GetString());
        Assert.Contains("refused", dead.GetProperty("last_check").GetProperty("reason").GetString());
        var alive = Realserver(web, _aliveEp);
        Assert.Equal(10, alive.GetProperty("weight").GetProperty("desired").GetInt32());
        Assert.True(alive.GetProperty("checks_passed").GetInt64() > 0);

        var metrics = await _client.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        var aliveLabels = $"virtual_service=\"web\",local_address=\"10.0.0.1\",local_port=\"80\",local_mark=\"\",proto=\"TCP\",remote_address=\"127.0.0.1\",remote_port=\"{_aliveEp.Port}\"";
        var deadLabels = $"virtual_service=\"web\",local_address=\"10.0.0.1\",local_port=\"80\",local_mark=\"\",proto=\"TCP\",remote_address=\"127.0.0.1\",remote_port=\"{_deadEp.Port}\"";
        Assert.Contains($"ipvs_checkd_realserver_up{{{aliveLabels}}} 1", metrics);
        Assert.Contains($"ipvs_checkd_realserver_up{{{deadLabels}}} 0", metrics);
        Assert.Contains($"ipvs_checkd_realserver_checks_total{{remote_address=\"127.0.0.1\",remote_port=\"{_deadEp.Port}\",check=\"tcp\",result=\"fail\"}}", metrics);
        Assert.Contains("ipvs_checkd_check_duration_seconds_count{check=\"tcp\"}", metrics);
    }

    [Fact]
    public async Task Status_RealserverStopsListening_GoesDownWithTransitionRecorded()
    {
        await WaitForStatus(vs => Health(vs, _aliveEp) == "up");

        _alive.Stop();

        var web = await WaitForStatus(vs => Health(vs, _aliveEp) == "down");
        Assert.True(Realserver(web, _aliveEp).GetProperty("transitions").GetInt64() >= 1);
        using var doc = JsonDocument.Parse(await _client.GetStringAsync("/api/v1/status", TestContext.Current.CancellationToken));
        Assert.Contains(doc.RootElement.GetProperty("recent_transitions").EnumerateArray(),
            t => t.GetProperty("realserver").GetString() == _aliveEp.ToString() && t.GetProperty("to").GetString() == "down");
        var metrics = await _client.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Contains($"ipvs_checkd_realserver_transitions_total{{virtual_service=\"web\",local_address=\"10.0.0.1\",local_port=\"80\",local_mark=\"\",proto=\"TCP\",remote_address=\"127.0.0.1\",remote_port=\"{_aliveEp.Port}\"}}", metrics);
    }

    [Fact]
    public async Task Drain_WithToken_EngineDrainsAndStatusShowsWho()
    {
        await WaitForStatus(vs => Health(vs, _aliveEp) == "up");
        using var refused = await _client.PostAsync($"/api/v1/virtual-services/web/realservers/{_aliveEp}/drain", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(AdminState.Ready, _engine.Snapshot().VirtualServices[0].RealServers.Single(r => r.Address.Equals(_aliveEp)).Admin);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/virtual-services/web/realservers/{_aliveEp}/drain");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Secret);
        using var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var web = await WaitForStatus(vs => Realserver(vs, _aliveEp).GetProperty("weight").GetProperty("desired").GetInt32() == 0);
        var admin = Realserver(web, _aliveEp).GetProperty("admin");
        Assert.Equal("drain", admin.GetProperty("state").GetString());
        Assert.Equal("api 127.0.0.1", admin.GetProperty("set_by").GetString());
        await WaitUntil(() => _table.WeightOf(Vip, _aliveEp) == 0);
    }

    [Fact]
    public async Task Page_InChromium_ShowsRealCheckResultsWithStateClasses()
    {
        await WaitForStatus(vs => Health(vs, _aliveEp) == "up" && Health(vs, _deadEp) == "down");

        var dom = await Chromium.DumpDomAsync(_client.BaseAddress!, 3000, TestContext.Current.CancellationToken);

        Assert.Contains($"<tr class=\"rs state-up admin-ready\" data-vs=\"web\" data-rs=\"{_aliveEp}\">", dom);
        Assert.Contains($"<tr class=\"rs state-down admin-ready\" data-vs=\"web\" data-rs=\"{_deadEp}\">", dom);
        Assert.Contains("<dd id=\"sum-kernel\">in-memory table</dd>", dom);
    }

    private static string? Health(JsonElement vs, IPEndPoint ep) => Realserver(vs, ep).GetProperty("health").GetString();

    private static JsonElement Realserver(JsonElement vs, IPEndPoint ep) =>
        vs.GetProperty("realservers").EnumerateArray().Single(r => r.GetProperty("port").GetInt32() == ep.Port);

    /// <summary>Polls the status API until the "web" service satisfies <paramref name="condition"/> (bounded).</summary>
    private async Task<JsonElement> WaitForStatus(Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var doc = JsonDocument.Parse(await _client.GetStringAsync("/api/v1/status", TestContext.Current.CancellationToken));
            var services = doc.RootElement.GetProperty("virtual_services");
            if (services.GetArrayLength() == 1 && condition(services[0]))
            {
                return services[0].Clone();
            }
            Assert.True(DateTime.UtcNow < deadline, "status did not reach the expected state within 30 s: " + doc.RootElement);
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 30 s");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
