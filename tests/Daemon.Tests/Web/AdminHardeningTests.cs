using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Ipvs.Daemon.Web;
using Xunit;

namespace Ipvs.Daemon.Tests.Web;

/// <summary>The admin API and listener against the attacks of issue 16 that worked: each asserts the request changes nothing.</summary>
public sealed class AdminHardeningTests : IAsyncLifetime
{
    private const string Secret = "s3cr3t-t0ken-0123456789abcdef";
    private readonly string _tokenFile = Path.Combine(Path.GetTempPath(), $"ipvs-checkd-token-{Guid.NewGuid():N}");
    private readonly FakeStatusSource _source = FakeStatusSource.TwoServices();
    private WebHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        await TokenFile.WriteAsync(_tokenFile, Secret + "\n");
        _host = await WebHost.StartAsync(_source, _source, new WebOptions { AdminTokenFile = _tokenFile, AllowedHosts = ["lb.example.net"] });
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        File.Delete(_tokenFile);
    }

    [Theory]
    [InlineData("/api/v1/virtual-services/web/realservers/10.0.1.1:80/DRAIN")]
    [InlineData("/api/v1/virtual-services/web/realservers/10.0.1.1:80/Drain")]
    [InlineData("/api/v1/virtual-services/web/realservers/10.0.1.1:80/MAINTENANCE")]
    [InlineData("/api/v1/hosts/10.0.1.1/DRAIN")]
    [InlineData("/API/v1/hosts/10.0.1.1/drain")]
    [InlineData("/api/V1/virtual-services/web/realservers/10.0.1.1:80/drain")]
    [InlineData("/api/v1/Virtual-Services/web/realservers/10.0.1.1:80/drain")]
    [InlineData("/api/v1/virtual-services/web/realservers/10.0.1.1:80/WEIGHT")]
    [InlineData("/api/v1/virtual-services/web/realservers/10.0.1.1:80/drained")]
    public async Task AdminVerb_MiscasedOrUnknown_IsNoRouteAndChangesNothing(string path)
    {
        var before = await StatusJson();

        using var response = await Post(path, "{\"weight\": 3}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, _source.AdminCalls);
        Assert.Equal(before, await StatusJson());
    }

    [Theory]
    [InlineData("{}", "no weight")]
    [InlineData("{\"wieght\": 9}", "unknown key 'wieght'")]
    [InlineData("{\"weight\": 3, \"extra\": 1}", "unknown key 'extra'")]
    [InlineData("{\"weight\": 3, \"weight\": 4}", "twice")]
    [InlineData("{\"weight\": \"3\"}", "weight is string")]
    [InlineData("{\"weight\": 3.5}", "weight is number")]
    [InlineData("{\"weight\": true}", "weight is true")]
    [InlineData("[3]", "body must be")]
    [InlineData("null", "body must be")]
    [InlineData("", "body must be")]
    [InlineData("{\"weight\": 70000}", "outside 0..65535")]
    public async Task Weight_BodyNotExactlyOneWeight_Returns400AndChangesNothing(string body, string why)
    {
        var before = await StatusJson();

        using var response = await Post("/api/v1/virtual-services/web/realservers/10.0.1.2:80/weight", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.Contains(why, (string)json["error"]!, StringComparison.Ordinal);
        Assert.Equal(0, _source.AdminCalls);
        Assert.Equal(before, await StatusJson());
    }

    [Fact]
    public async Task Weight_NullClearsAndNumberSets_StillWork()
    {
        using (var set = await Post("/api/v1/virtual-services/web/realservers/10.0.1.2:80/weight", "{\"weight\": 3}"))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }
        using (var clear = await Post("/api/v1/virtual-services/web/realservers/10.0.1.2:80/weight", "{\"weight\": null}"))
        {
            Assert.Equal(HttpStatusCode.OK, clear.StatusCode);
        }
        Assert.Equal(2, _source.AdminCalls);
    }

    [Theory]
    [InlineData("/api/v1/hosts/127.1/drain")]
    [InlineData("/api/v1/hosts/2130706433/drain")]
    [InlineData("/api/v1/hosts/10.0.1.01/drain")]
    [InlineData("/api/v1/hosts/0x0a.0.1.1/drain")]
    [InlineData("/api/v1/virtual-services/web/realservers/10.1:80/drain")]
    [InlineData("/api/v1/virtual-services/web/realservers/167772417:80/drain")]
    [InlineData("/api/v1/virtual-services/web/realservers/10.0.1.1:080/drain")]
    [InlineData("/api/v1/virtual-services/web/realservers/10.0.1.1:65536/drain")]
    [InlineData("/api/v1/virtual-services/web/realservers/10.0.1.1/drain")]
    [InlineData("/api/v1/virtual-services/web/realservers/::1:80/drain")]
    [InlineData("/api/v1/virtual-services/web/realservers/[0:0::1]:80/drain")]
    [InlineData("/api/v1/hosts/2001:DB8::1/drain")]
    public async Task AdminAddress_NotWrittenAsTheStatusWritesIt_Returns400AndChangesNothing(string path)
    {
        using var response = await Post(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, _source.AdminCalls);
    }

    [Theory]
    [InlineData("/api/v1/hosts/10.0.1.1/drain")]
    [InlineData("/api/v1/virtual-services/web/realservers/10.0.1.1:80/drain")]
    [InlineData("/api/v1/hosts/::1/drain")]
    [InlineData("/api/v1/virtual-services/web/realservers/[::1]:80/drain")]
    public async Task AdminAddress_Canonical_IsAccepted(string path)
    {
        using var response = await Post(path);

        Assert.NotEqual(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(1, _source.AdminCalls);
    }

    [Theory]
    [InlineData("attacker.example", HttpStatusCode.MisdirectedRequest)]
    [InlineData("rebind.attacker.example:9480", HttpStatusCode.MisdirectedRequest)]
    [InlineData("localhost", HttpStatusCode.OK)]
    [InlineData("localhost:9480", HttpStatusCode.OK)]
    [InlineData("127.0.0.1:9480", HttpStatusCode.OK)]
    [InlineData("[::1]:9480", HttpStatusCode.OK)]
    [InlineData("LB.example.net", HttpStatusCode.OK)]
    public async Task Host_NotThisDaemonsName_Returns421ForStatusAndMetrics(string host, HttpStatusCode expected)
    {
        foreach (var path in (string[])["/api/v1/status", "/metrics", "/"])
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Host = host;
            using var response = await _host.Client.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(expected, response.StatusCode);
        }
    }

    [Fact]
    public async Task Host_MachineName_IsAnswered()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/status");
        request.Headers.Host = Dns.GetHostName();
        using var response = await _host.Client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Connection_After100Requests_IsClosedByTheDaemon()
    {
        var ct = TestContext.Current.CancellationToken;
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(_host.BaseAddress.Host, _host.BaseAddress.Port, ct);
        using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var request = Encoding.ASCII.GetBytes("GET /assets/app.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        var closeAt = -1;
        for (var i = 1; i <= 101 && closeAt < 0; i++)
        {
            await stream.WriteAsync(request, ct);
            var length = 0;
            string? line;
            while (!string.IsNullOrEmpty(line = await reader.ReadLineAsync(ct)))
            {
                if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                {
                    length = int.Parse(line.AsSpan(15).Trim(), System.Globalization.CultureInfo.InvariantCulture);
                }
                if (line.Equals("Connection: close", StringComparison.OrdinalIgnoreCase))
                {
                    closeAt = i;
                }
            }
            Assert.NotNull(line);
            var body = new char[length];
            await reader.ReadBlockAsync(body, ct);
        }
        Assert.Equal(100, closeAt);
    }

    private async Task<string> StatusJson()
    {
        var json = JsonNode.Parse(await _host.Client.GetStringAsync("/api/v1/status", TestContext.Current.CancellationToken))!;
        json["generated_at"] = null;
        return json["virtual_services"]!.ToJsonString();
    }

    private async Task<HttpResponseMessage> Post(string path, string? body = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Secret);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        return await _host.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
