using System.Text.Json;
using Ipvs.Daemon.Web;
using Ipvs.Daemon.Web.Status;
using Xunit;

namespace Ipvs.Daemon.Tests.Web;

public sealed class StatusApiTests : IAsyncLifetime
{
    private readonly FakeStatusSource _source = FakeStatusSource.TwoServices();
    private WebHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await WebHost.StartAsync(_source, _source, new WebOptions());

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Status_TwoServices_HasOneObjectPerServiceWithItsRealservers()
    {
        using var doc = JsonDocument.Parse(await _host.Client.GetStringAsync("/api/v1/status", TestContext.Current.CancellationToken));
        var root = doc.RootElement;

        var services = root.GetProperty("virtual_services");
        Assert.Equal(2, services.GetArrayLength());
        var mail = services[1];
        Assert.Equal("mail", mail.GetProperty("name").GetString());
        Assert.Equal("TCP 10.0.0.2:25", mail.GetProperty("key").GetString());
        Assert.Equal(1, mail.GetProperty("live_realservers").GetInt32());
        Assert.True(mail.GetProperty("quorum_up").GetBoolean());
        Assert.Equal(100UL, mail.GetProperty("kernel").GetProperty("connections").GetUInt64());

        var down = mail.GetProperty("realservers")[1];
        Assert.Equal("10.0.1.3", down.GetProperty("address").GetString());
        Assert.Equal(25, down.GetProperty("port").GetInt32());
        Assert.Equal("down", down.GetProperty("health").GetString());
        Assert.Equal(FakeStatusSource.Start, down.GetProperty("health_since").GetDateTimeOffset());
        var weight = down.GetProperty("weight");
        Assert.Equal(10, weight.GetProperty("configured").GetInt32());
        Assert.Equal(0, weight.GetProperty("desired").GetInt32());
        Assert.Equal(0, weight.GetProperty("kernel").GetInt32());
        Assert.Equal(JsonValueKind.Null, weight.GetProperty("override").ValueKind);
        var admin = down.GetProperty("admin");
        Assert.Equal("ready", admin.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, admin.GetProperty("set_by").ValueKind);
        var last = down.GetProperty("last_check");
        Assert.Equal("fail", last.GetProperty("result").GetString());
        Assert.Equal("connection refused", last.GetProperty("reason").GetString());
        Assert.Equal(1.5, last.GetProperty("latency_ms").GetDouble());

        var daemon = root.GetProperty("daemon");
        Assert.Equal("in-memory", daemon.GetProperty("kernel").GetString());
        Assert.Equal(3, daemon.GetProperty("checks_in_flight").GetInt32());
        Assert.Equal(4, daemon.GetProperty("state_save_failures").GetInt64());
        Assert.False(daemon.GetProperty("state_save_ok").GetBoolean());
        Assert.Equal(612.5, daemon.GetProperty("engine_lag_max_ms").GetDouble());
        Assert.Equal(7, daemon.GetProperty("results_distrusted").GetInt64());
        Assert.Equal(6, daemon.GetProperty("distrusted_by_kind").GetProperty("timeout").GetInt64());
        Assert.Equal(9, daemon.GetProperty("trusted_while_lagging_by_kind").GetProperty("refused").GetInt64());
        Assert.Equal(3, daemon.GetProperty("distrusted_rechecks").GetInt64());
        Assert.Equal(JsonValueKind.Array, root.GetProperty("recent_transitions").ValueKind);
    }

    [Fact]
    public async Task Status_AfterTransitionRecorded_ListsItNewestFirst()
    {
        var log = (TransitionLog)_host.Services.GetService(typeof(TransitionLog))!;
        log.Record(new TransitionEntry(FakeStatusSource.Start, "web", "10.0.1.1:80", "up", "down", "connection refused"));
        log.Record(new TransitionEntry(FakeStatusSource.Start.AddSeconds(5), "web", "10.0.1.1:80", "down", "up", null));

        using var doc = JsonDocument.Parse(await _host.Client.GetStringAsync("/api/v1/status", TestContext.Current.CancellationToken));

        var recent = doc.RootElement.GetProperty("recent_transitions");
        Assert.Equal(2, recent.GetArrayLength());
        Assert.Equal("up", recent[0].GetProperty("to").GetString());
        Assert.Equal("connection refused", recent[1].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Page_Root_ServesEmbeddedHtmlScriptAndStyleWithoutExternalReferences()
    {
        var html = await _host.Client.GetStringAsync("/", TestContext.Current.CancellationToken);
        var js = await _host.Client.GetStringAsync("/assets/app.js", TestContext.Current.CancellationToken);
        using var css = await _host.Client.GetAsync("/assets/app.css", TestContext.Current.CancellationToken);

        Assert.Contains("<table id=\"status\">", html);
        Assert.Contains("/api/v1/status", js);
        Assert.Equal("text/css", css.Content.Headers.ContentType!.MediaType);
        Assert.DoesNotContain("http://", html + js);
        Assert.DoesNotContain("https://", html + js);
    }
}
