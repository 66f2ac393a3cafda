using System.Net;
using System.Text.Json;
using Ipvs.Daemon.Web;
using Ipvs.Daemon.Web.Status;
using Xunit;

namespace Ipvs.Daemon.Tests.Web;

/// <summary>The filters, the weak ETag and gzip of <c>GET /api/v1/status</c>.</summary>
public sealed class StatusQueryTests : IAsyncLifetime
{
    private readonly FakeStatusSource _source = FakeStatusSource.TwoServices();
    private WebHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await WebHost.StartAsync(_source, _source, new WebOptions());

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task<JsonElement> Get(string path)
    {
        using var doc = JsonDocument.Parse(await _host.Client.GetStringAsync(path, TestContext.Current.CancellationToken));
        return doc.RootElement.Clone();
    }

    private static List<string> Rows(JsonElement root) =>
        [.. root.GetProperty("virtual_services").EnumerateArray().SelectMany(vs => vs.GetProperty("realservers").EnumerateArray()
            .Select(rs => vs.GetProperty("name").GetString() + " " + rs.GetProperty("address").GetString()))];

    private static async Task<string?> Error(HttpResponseMessage response)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return doc.RootElement.GetProperty("error").GetString();
    }

    [Fact]
    public async Task Status_ProblemsOnly_KeepsProblemRowsWithTheWholeServicesCounts()
    {
        var root = await Get("/api/v1/status?problems=1");

        Assert.Equal(["mail 10.0.1.3"], Rows(root));
        var mail = root.GetProperty("virtual_services")[0];
        Assert.Equal(1, mail.GetProperty("live_realservers").GetInt32());
        Assert.Equal(2, mail.GetProperty("realserver_count").GetInt32());
        var summary = root.GetProperty("summary");
        Assert.Equal(2, summary.GetProperty("virtual_services").GetInt32());
        Assert.Equal(4, summary.GetProperty("realservers").GetInt32());
        Assert.Equal(3, summary.GetProperty("up").GetInt32());
        Assert.Equal(1, summary.GetProperty("problems").GetInt32());
    }

    [Fact]
    public async Task Status_Service_KeepsThatServiceOnly()
    {
        var root = await Get("/api/v1/status?service=web");

        Assert.Equal(["web 10.0.1.1", "web 10.0.1.2"], Rows(root));
        Assert.Equal(4, root.GetProperty("summary").GetProperty("realservers").GetInt32());
    }

    [Fact]
    public async Task Status_ServiceAndProblems_WithoutProblemsThere_IsEmpty()
    {
        var root = await Get("/api/v1/status?service=web&problems=1");

        Assert.Empty(Rows(root));
    }

    [Fact]
    public async Task Status_UnknownService_Is404WithTheName()
    {
        using var response = await _host.Client.GetAsync("/api/v1/status?service=nope", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("no virtual service 'nope'", await Error(response));
    }

    [Fact]
    public async Task Status_BadProblemsValue_Is400AndSaysWhatToWrite()
    {
        using var response = await _host.Client.GetAsync("/api/v1/status?problems=yes", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("problems='yes': write problems=1 or leave it out", await Error(response));
    }

    [Fact]
    public async Task Status_IfNoneMatchOfUnchangedView_Is304WithoutBody_ChangedViewIs200()
    {
        using var first = await _host.Client.GetAsync("/api/v1/status?problems=1", TestContext.Current.CancellationToken);
        var tag = first.Headers.ETag!;
        Assert.True(tag.IsWeak);

        // Counters move with every check; the view an operator watches does not.
        _source.Update((_, _) => true, rs => rs with { ChecksPassed = rs.ChecksPassed + 100, LastCheck = rs.LastCheck! with { LatencyMs = 9 } });
        using var again = new HttpRequestMessage(HttpMethod.Get, "/api/v1/status?problems=1");
        again.Headers.IfNoneMatch.Add(tag);
        using var unchanged = await _host.Client.SendAsync(again, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        Assert.Empty(await unchanged.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));

        _source.Update((vs, rs) => vs.Name == "web" && rs.Address == "10.0.1.2", rs => rs with { Health = HealthState.Down });
        using var third = new HttpRequestMessage(HttpMethod.Get, "/api/v1/status?problems=1");
        third.Headers.IfNoneMatch.Add(tag);
        using var changed = await _host.Client.SendAsync(third, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(tag, changed.Headers.ETag);
        Assert.Contains("10.0.1.2", await changed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Status_TagDependsOnTheFilter()
    {
        using var all = await _host.Client.GetAsync("/api/v1/status", TestContext.Current.CancellationToken);
        using var problems = await _host.Client.GetAsync("/api/v1/status?problems=1", TestContext.Current.CancellationToken);

        Assert.NotEqual(all.Headers.ETag, problems.Headers.ETag);
    }

    [Fact]
    public async Task Status_AcceptsGzip_AnswersCompressedJson()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/status");
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        using var response = await _host.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        using var unzip = new System.IO.Compression.GZipStream(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken),
            System.IO.Compression.CompressionMode.Decompress);
        using var doc = await JsonDocument.ParseAsync(unzip, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(4, Rows(doc.RootElement).Count);
    }
}
