using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Ipvs.Checks;
using Ipvs.Daemon.Web;
using Ipvs.Engine;
using Ipvs.Netlink;
using Microsoft.Extensions.DependencyInjection;
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
    private readonly string _stateDir = Directory.CreateTempSubdirectory("ipvs-checkd-web-state-").FullName;
    private FileAdminStateStore _store = null!;
    private readonly InMemoryIpvsTable _table = new();
    private TcpListener _alive = null!;
    private IPEndPoint _aliveEp = null!;
    private IPEndPoint _deadEp = null!;
    private WebHost _host = null!;
    private HealthEngine _engine = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        await TokenFile.WriteAsync(_tokenFile, Secret);
        _store = new FileAdminStateStore(Path.Combine(_stateDir, "admin.json"));
        _alive = new TcpListener(IPAddress.Loopback, 0);
        _alive.Start();
        _aliveEp = (IPEndPoint)_alive.LocalEndpoint;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            _deadEp = (IPEndPoint)probe.LocalEndpoint; // closed again at once: connecting to it is refused
        }

        _host = await WebHost.StartWithEngineAsync(
            checks => new HealthEngine(_table, _store, checks),
            new WebOptions { AdminTokenFile = _tokenFile });
        _engine = _host.Services.GetRequiredService<HealthEngine>();
        _engine.ApplyTopology(new Topology([Service(_aliveEp, _deadEp)], new EngineOptions { ReconcileInterval = TimeSpan.FromMilliseconds(200) }));
        await _engine.StartAsync(TestContext.Current.CancellationToken);
        _client = _host.Client;
    }

    public async ValueTask DisposeAsync()
    {
        await _engine.StopAsync(CancellationToken.None);
        await _host.DisposeAsync();
        _alive.Dispose();
        File.Delete(_tokenFile);
        Directory.Delete(_stateDir, recursive: true);
    }

    private static VirtualServiceSpec Service(params IPEndPoint[] servers) => new(
        "web",
        new ServiceConfig(Vip, "wlc"),
        [.. servers.Select(ep => new RealServerSpec(ep, 10, ForwardMethod.Masquerade,
            [new RealServerCheck(new TcpCheckSpec { Timeout = TimeSpan.FromMilliseconds(500) }, new CheckTarget(ep, ep, "web"),
                new CheckSchedule(TimeSpan.FromMilliseconds(200), Rise: 1, Fall: 1))]))]);

    [Fact]
    public async Task StatusAndMetrics_EngineOwnLoop_ShowTheLoopWithItsTargetsAndWork()
    {
        await WaitForStatus(vs => Health(vs, _aliveEp) == "up" && Health(vs, _deadEp) == "down");

        using var doc = JsonDocument.Parse(await _client.GetStringAsync("/api/v1/status", TestContext.Current.CancellationToken));
        var loops = doc.RootElement.GetProperty("daemon").GetProperty("probe_loops");
        var loop = Assert.Single(loops.EnumerateArray());
        Assert.Equal(0, loop.GetProperty("loop").GetInt32());
        Assert.Equal(2, loop.GetProperty("targets").GetInt32());
        Assert.True(loop.GetProperty("passes").GetInt64() > 0);
        Assert.True(loop.GetProperty("busy_seconds").GetDouble() > 0);
        Assert.InRange(loop.GetProperty("load").GetDouble(), 0, 1);
        var metrics = await _client.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Contains("ipvs_checkd_probe_loop_targets{loop=\"0\"} 2", metrics);
        Assert.Contains("ipvs_checkd_probe_loop_busy_seconds_total{loop=\"0\"}", metrics);
    }

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
    public async Task Drain_StateFileCannotBeWritten_MetricsAndStatusSayUntilASaveWorks()
    {
        await WaitForStatus(vs => Health(vs, _aliveEp) == "up");
        Assert.Contains("ipvs_checkd_state_save_ok 1", await _client.GetStringAsync("/metrics", TestContext.Current.CancellationToken));
        // The store writes a temp file and renames it: written through /dev/full, every write fails with ENOSPC (disk full).
        var openTemp = _store.OpenTemp;
        _store.OpenTemp = tmp =>
        {
            new FileStream(tmp, FileMode.CreateNew, FileAccess.Write).Dispose();
            return new FileStream("/dev/full", FileMode.Open, FileAccess.Write);
        };

        await Admin("drain", HttpStatusCode.ServiceUnavailable);

        // The drain holds in memory; the caller was told it is not saved; the failed save is visible to monitoring and in the API.
        await WaitForStatus(vs => Realserver(vs, _aliveEp).GetProperty("weight").GetProperty("desired").GetInt32() == 0);
        var metrics = await _client.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Contains("ipvs_checkd_state_save_failures_total 1", metrics);
        Assert.Contains("ipvs_checkd_state_save_ok 0", metrics);
        var daemon = await Daemon();
        Assert.Equal(1, daemon.GetProperty("state_save_failures").GetInt64());
        Assert.False(daemon.GetProperty("state_save_ok").GetBoolean());

        _store.OpenTemp = openTemp;
        await Admin("ready");

        metrics = await _client.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Contains("ipvs_checkd_state_save_failures_total 1", metrics);
        Assert.Contains("ipvs_checkd_state_save_ok 1", metrics);
        Assert.True((await Daemon()).GetProperty("state_save_ok").GetBoolean());
        Assert.Contains("\"ready\"", await File.ReadAllTextAsync(Path.Combine(_stateDir, "admin.json"), TestContext.Current.CancellationToken));
    }

    private async Task Admin(string action, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/virtual-services/web/realservers/{_aliveEp}/{action}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Secret);
        using var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(expected, response.StatusCode);
    }

    private async Task<JsonElement> Daemon()
    {
        using var doc = JsonDocument.Parse(await _client.GetStringAsync("/api/v1/status", TestContext.Current.CancellationToken));
        return doc.RootElement.GetProperty("daemon").Clone();
    }

    [Fact]
    public async Task Table_JoinedWithTheLiveStatus_HealthAndAdminPerDestination()
    {
        await WaitForStatus(vs => Health(vs, _aliveEp) == "up" && Health(vs, _deadEp) == "down");
        await WaitUntil(() => _table.WeightOf(Vip, _aliveEp) == 10 && _table.WeightOf(Vip, _deadEp) == 0);
        // An entry the daemon does not manage (a sorry server, an operator's ipvsadm edit) gets no columns.
        var foreign = new DestinationConfig(IPAddress.Parse("10.0.9.9"), 80, ForwardMethod.Masquerade, 1);
        var entries = _table.Dump().Select(s => s with { Destinations = [.. s.Destinations, new DestinationEntry(foreign, 0, 0, 0, s.Stats)] }).ToList();
        var body = await _client.GetStringAsync("/api/v1/status", TestContext.Current.CancellationToken);

        var view = Ipvs.Daemon.Table.DaemonView.Parse(body, _client.BaseAddress!.ToString());
        var text = new StringWriter();
        Ipvs.Daemon.Table.TableText.Write(text, new IpvsInfo(new Version(1, 2, 1), 4096), entries, Ipvs.Daemon.Table.TableColumns.Plain, view);
        var json = new StringWriter();
        Ipvs.Daemon.Table.TableJson.Write(json, new IpvsInfo(new Version(1, 2, 1), 4096), entries, view);

        var lines = text.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Contains("  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn  Health   Admin", lines);
        Assert.Contains("TCP  10.0.0.1:80 wlc  [web]", lines);
        Assert.Contains(lines, l => l.StartsWith($"  -> {_aliveEp,-28} Masq    10 ", StringComparison.Ordinal) && l.EndsWith(" up       ready", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"  -> {_deadEp,-28} Masq    0 ", StringComparison.Ordinal) && l.EndsWith(" down     ready", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  -> 10.0.9.9:80", StringComparison.Ordinal) && l.EndsWith(" -        -", StringComparison.Ordinal));
        // The joined columns start where the header says.
        var header = lines.Single(l => l.StartsWith("  -> RemoteAddress", StringComparison.Ordinal));
        Assert.Equal(header.IndexOf("Health", StringComparison.Ordinal), lines.Single(l => l.EndsWith(" up       ready", StringComparison.Ordinal)).LastIndexOf("up", StringComparison.Ordinal));

        using var doc = JsonDocument.Parse(json.ToString());
        Assert.Equal(_client.BaseAddress.ToString(), doc.RootElement.GetProperty("daemon").GetString());
        var service = doc.RootElement.GetProperty("services")[0];
        Assert.Equal("web", service.GetProperty("virtualService").GetProperty("name").GetString());
        var dests = service.GetProperty("destinations").EnumerateArray().ToList();
        var alive = dests.Single(d => d.GetProperty("port").GetInt32() == _aliveEp.Port).GetProperty("daemon");
        Assert.Equal("up", alive.GetProperty("health").GetString());
        Assert.Equal("ready", alive.GetProperty("admin").GetString());
        Assert.Equal(10, alive.GetProperty("desiredWeight").GetInt32());
        Assert.Equal("down", dests.Single(d => d.GetProperty("port").GetInt32() == _deadEp.Port).GetProperty("daemon").GetProperty("health").GetString());
        Assert.Equal(JsonValueKind.Null, dests.Single(d => d.GetProperty("address").GetString() == "10.0.9.9").GetProperty("daemon").ValueKind);
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
