using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Ipvs.Daemon.Web;
using Ipvs.Daemon.Web.Status;
using Xunit;

namespace Ipvs.Daemon.Tests.Web;

public sealed class AdminApiTests : IAsyncLifetime
{
    private const string Secret = "s3cr3t-t0ken-0123456789abcdef";
    private readonly string _tokenFile = Path.Combine(Path.GetTempPath(), $"ipvs-checkd-token-{Guid.NewGuid():N}");
    private readonly FakeStatusSource _source = FakeStatusSource.TwoServices();
    private WebHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        await TokenFile.WriteAsync(_tokenFile, Secret + "\n");
        _host = await WebHost.StartAsync(_source, _source, new WebOptions { AdminTokenFile = _tokenFile });
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        File.Delete(_tokenFile);
    }

    private const string DrainPath = "/api/v1/virtual-services/web/realservers/10.0.1.1:80/drain";

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong")]
    [InlineData("Bearer " + Secret + "x")]
    [InlineData("Basic " + Secret)]
    [InlineData(Secret)]
    public async Task Drain_WithoutValidToken_Returns401AndChangesNothing(string? authorization)
    {
        var before = await StatusJson();
        using var request = new HttpRequestMessage(HttpMethod.Post, DrainPath);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        using var response = await _host.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(0, _source.AdminCalls);
        Assert.Equal(before, await StatusJson());
    }

    [Fact]
    public async Task AllAdminRoutes_WithoutToken_Return401AndChangeNothing()
    {
        var paths = new[]
        {
            "/api/v1/virtual-services/web/realservers/10.0.1.1:80/ready",
            "/api/v1/virtual-services/web/realservers/10.0.1.1:80/maintenance",
            "/api/v1/hosts/10.0.1.1/drain",
            "/api/v1/virtual-services/web/realservers/10.0.1.1:80/weight",
            "/api/v1/reload",
            "/api/v1/virtual-services/web/release-hold",
            "/api/v1/release-holds",
        };
        _source.SetHold("web", new MassFailureHoldInfo(FakeStatusSource.Start, "2 realservers failing at once (+0 recently) of 2; at most 1 may go", 2));
        var before = await StatusJson();
        foreach (var path in paths)
        {
            using var response = await _host.Client.PostAsync(path, Json("{\"weight\":3}"), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        Assert.Equal(0, _source.AdminCalls);
        Assert.Equal(before, await StatusJson());
    }

    [Fact]
    public async Task Drain_WithToken_ChangesOnlyThatRealserverAndRecordsWho()
    {
        using var response = await Post(DrainPath);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"affected\":1", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var snapshot = _source.Capture();
        var web = snapshot.VirtualServices.Single(v => v.Name == "web");
        var drained = web.Realservers.Single(r => r.Address == "10.0.1.1");
        Assert.Equal(AdminState.Drain, drained.Admin.State);
        Assert.Equal("api 127.0.0.1", drained.Admin.SetBy);
        Assert.Equal(AdminState.Ready, web.Realservers.Single(r => r.Address == "10.0.1.2").Admin.State);
        Assert.Equal(AdminState.Ready, snapshot.VirtualServices.Single(v => v.Name == "mail").Realservers[0].Admin.State);
    }

    [Fact]
    public async Task HostMaintenance_WithToken_ChangesThatHostInEveryService()
    {
        using var response = await Post("/api/v1/hosts/10.0.1.1/maintenance");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var onHost = _source.Capture().VirtualServices.SelectMany(v => v.Realservers).Where(r => r.Address == "10.0.1.1").ToList();
        Assert.Equal(2, onHost.Count);
        Assert.All(onHost, r => Assert.Equal(AdminState.Maintenance, r.Admin.State));
    }

    [Fact]
    public async Task Weight_WithTokenAndValidBody_SetsOverride()
    {
        using var response = await Post("/api/v1/virtual-services/web/realservers/10.0.1.2:80/weight", "{\"weight\": 3}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, _source.Capture().VirtualServices[0].Realservers[1].Weight.Override);
    }

    [Theory]
    [InlineData("{\"weight\": 70000}")]
    [InlineData("{\"weight\": -1}")]
    [InlineData("not json")]
    public async Task Weight_WithBadBody_Returns400AndChangesNothing(string body)
    {
        using var response = await Post("/api/v1/virtual-services/web/realservers/10.0.1.2:80/weight", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, _source.AdminCalls);
    }

    [Fact]
    public async Task ReleaseHold_WithToken_ReleasesThatServiceOnly()
    {
        var hold = new MassFailureHoldInfo(FakeStatusSource.Start, "2 realservers failing at once (+0 recently) of 2; at most 1 may go", 2);
        _source.SetHold("web", hold);
        _source.SetHold("mail", hold);
        var held = JsonNode.Parse(await StatusJson())!["virtual_services"]!.AsArray().Single(v => (string?)v!["name"] == "web")!["mass_failure_hold"]!;
        Assert.Equal("2026-11-24T12:00:00+00:00", (string?)held["since"]);
        Assert.Equal(hold.Why, (string?)held["why"]);
        Assert.Equal(2, (int?)held["held_realservers"]);

        using var response = await Post("/api/v1/virtual-services/web/release-hold");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"affected\":1", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var services = _source.Capture().VirtualServices;
        Assert.Null(services.Single(v => v.Name == "web").MassFailureHold);
        Assert.Equal(hold, services.Single(v => v.Name == "mail").MassFailureHold);
    }

    [Fact]
    public async Task ReleaseHold_NoHoldOrUnknownService_Returns409Or404()
    {
        using var none = await Post("/api/v1/virtual-services/web/release-hold");
        using var unknown = await Post("/api/v1/virtual-services/nothing/release-hold");
        using var all = await Post("/api/v1/release-holds");

        Assert.Equal(HttpStatusCode.Conflict, none.StatusCode);
        Assert.Contains("no mass-failure hold in force", await none.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, all.StatusCode);
    }

    [Fact]
    public async Task ReleaseHolds_WithToken_ReleasesEveryHeldService()
    {
        var hold = new MassFailureHoldInfo(FakeStatusSource.Start, "held", 2);
        _source.SetHold("web", hold);
        _source.SetHold("mail", hold);

        using var response = await Post("/api/v1/release-holds");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"affected\":2", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.All(_source.Capture().VirtualServices, v => Assert.Null(v.MassFailureHold));
    }

    [Fact]
    public async Task Drain_UnknownRealserver_Returns404()
    {
        using var response = await Post("/api/v1/virtual-services/web/realservers/10.9.9.9:80/drain");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Reload_BadConfig_Returns422WithTheErrors()
    {
        _source.ReloadResult = () => Ipvs.Daemon.Web.Admin.AdminResult.Failed("config.yaml:3:5: weight: must be 0..65535");

        using var response = await Post("/api/v1/reload");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("config.yaml:3:5", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Token_AfterGoodAndBadRequests_AppearsInNoResponseMetricOrLog()
    {
        var bodies = new List<string>();
        using (var ok = await Post(DrainPath))
        {
            bodies.Add(await ok.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
        using (var bad = new HttpRequestMessage(HttpMethod.Post, DrainPath))
        {
            bad.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Secret + "-not");
            using var response = await _host.Client.SendAsync(bad, TestContext.Current.CancellationToken);
            bodies.Add(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
        bodies.Add(await _host.Client.GetStringAsync("/metrics", TestContext.Current.CancellationToken));
        bodies.Add(await StatusJson());
        bodies.Add(await _host.Client.GetStringAsync("/", TestContext.Current.CancellationToken));
        bodies.Add(await _host.Client.GetStringAsync("/assets/app.js", TestContext.Current.CancellationToken));

        Assert.NotEmpty(_host.Logs.Lines);
        Assert.All(bodies, b => Assert.DoesNotContain(Secret, b, StringComparison.Ordinal));
        Assert.All(_host.Logs.Lines, l => Assert.DoesNotContain(Secret, l, StringComparison.Ordinal));
        Assert.Contains("ipvs_checkd_api_auth_failures_total 1", bodies[2], StringComparison.Ordinal);
    }

    /// <summary>The status document without its timestamp, to compare state before and after.</summary>
    private async Task<string> StatusJson()
    {
        var node = JsonNode.Parse(await _host.Client.GetStringAsync("/api/v1/status", TestContext.Current.CancellationToken))!.AsObject();
        Assert.True(node.Remove("generated_at"));
        return node.ToJsonString();
    }

    private async Task<HttpResponseMessage> Post(string path, string? body = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : Json(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Secret);
        return await _host.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
