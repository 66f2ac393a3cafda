using System.Net;
using System.Text.Json;
using Ipvs.Daemon.Cli;
using Ipvs.Daemon.Demo;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Ipvs.Daemon.Tests.Demo;

/// <summary>The demo in-process: real simulated servers on loopback, the real engine and web side over the in-memory table.</summary>
public sealed class DemoSessionTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private DemoSession _demo = null!;
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        _demo = await DemoSession.StartAsync(
            new DemoOptions(new IPEndPoint(IPAddress.Loopback, 0), Services: 2, RealServers: 2, ChaosPeriod: null, FirstPort: Random.Shared.Next(20_000, 40_000)),
            logging => logging.ClearProviders(),
            TestContext.Current.CancellationToken);
        _http = new HttpClient { BaseAddress = _demo.Url, Timeout = TimeSpan.FromSeconds(10) };
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _demo.DisposeAsync();
    }

    [Fact]
    public async Task Status_FarmFailsARealserver_ApiShowsItDownAndTheOthersUp()
    {
        var ct = TestContext.Current.CancellationToken;
        var all = await WaitFor(s => s.Count == 4 && s.Values.All(h => h == "up"), ct);
        Assert.Equal(4, all.Count);

        var failed = _demo.Farm[0, 1];
        failed.Set(SimulatedBehaviour.Refuse);
        var after = await WaitFor(s => s.GetValueOrDefault($"{DemoFarm.ServiceName(0)} {failed.EndPoint}") == "down", ct);

        Assert.Equal("down", after[$"{DemoFarm.ServiceName(0)} {failed.EndPoint}"]);
        Assert.Equal("up", after[$"{DemoFarm.ServiceName(0)} {_demo.Farm[0, 0].EndPoint}"]);

        failed.Set(SimulatedBehaviour.Up);
        await WaitFor(s => s[$"{DemoFarm.ServiceName(0)} {failed.EndPoint}"] == "up", ct);
    }

    [Fact]
    public async Task Drain_HostThroughTheCli_ChangesAdminStateInTheApi()
    {
        var ct = TestContext.Current.CancellationToken;
        var tokenFile = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(tokenFile, _demo.AdminToken, ct);
            var host = _demo.Farm[1, 0].EndPoint.Address.ToString();
            var output = new StringWriter();
            var error = new StringWriter();

            var exit = await CliApp.Build().Parse(["drain", "--host", host, "--url", _demo.Url.ToString(), "--token-file", tokenFile])
                .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = error }, ct);

            Assert.True(exit == 0, error.ToString());
            Assert.StartsWith($"drain host {host}: done", output.ToString());
            using var doc = JsonDocument.Parse(await _http.GetStringAsync("api/v1/status", ct));
            var drained = doc.RootElement.GetProperty("virtual_services").EnumerateArray()
                .SelectMany(v => v.GetProperty("realservers").EnumerateArray())
                .Where(r => r.GetProperty("address").GetString() == host)
                .Select(r => r.GetProperty("admin").GetProperty("state").GetString())
                .ToList();
            Assert.NotEmpty(drained);
            Assert.All(drained, s => Assert.Equal("drain", s));
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    [Fact]
    public async Task Drain_WrongToken_IsRefusedByTheDaemon()
    {
        var ct = TestContext.Current.CancellationToken;
        var tokenFile = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(tokenFile, "not-the-token", ct);
            var error = new StringWriter();

            var exit = await CliApp.Build().Parse(["drain", DemoFarm.ServiceName(0), _demo.Farm[0, 0].EndPoint.ToString(), "--url", _demo.Url.ToString(), "--token-file", tokenFile])
                .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = new StringWriter(), Error = error }, ct);

            Assert.Equal(1, exit);
            Assert.Contains("401", error.ToString());
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    /// <summary>Polls the status API until <paramref name="done"/> holds on "vs rs" → health, or the deadline passes.</summary>
    private async Task<Dictionary<string, string>> WaitFor(Func<Dictionary<string, string>, bool> done, CancellationToken ct)
    {
        var until = DateTime.UtcNow + Deadline;
        var last = new Dictionary<string, string>();
        while (DateTime.UtcNow < until)
        {
            using var doc = JsonDocument.Parse(await _http.GetStringAsync("api/v1/status", ct));
            last = [];
            foreach (var vs in doc.RootElement.GetProperty("virtual_services").EnumerateArray())
            {
                foreach (var rs in vs.GetProperty("realservers").EnumerateArray())
                {
                    last[$"{vs.GetProperty("name").GetString()} {rs.GetProperty("address").GetString()}:{rs.GetProperty("port").GetInt32()}"] = rs.GetProperty("health").GetString()!;
                }
            }
            if (done(last))
            {
                return last;
            }
            await Task.Delay(200, ct);
        }
        Assert.Fail("the status API did not reach the expected state within " + Deadline + "; last: " + string.Join(", ", last.Select(kv => kv.Key + "=" + kv.Value)));
        return last;
    }
}
