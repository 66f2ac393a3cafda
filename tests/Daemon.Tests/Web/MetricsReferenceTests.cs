using System.Net;
using System.Text.RegularExpressions;
using Ipvs.Checks;
using Ipvs.Daemon.Alerts;
using Ipvs.Daemon.Web;
using Ipvs.Engine;
using Ipvs.Netlink;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Ipvs.Daemon.Tests.Web;

/// <summary>
/// docs/metrics.md against /metrics: every series it lists is exported with the type it says, and every series
/// exported is listed. The daemon is wired as in production (engine, metered checks, alert counters) and has run a
/// real check, so every family has children.
/// </summary>
public sealed partial class MetricsReferenceTests
{
    [Fact]
    public async Task Scrape_EverySeries_IsDocumentedWithItsTypeAndTheOtherWayRound()
    {
        var refused = DeadEndPoint();
        var vip = ServiceKey.ForAddress(IpvsProtocol.Tcp, IPEndPoint.Parse("10.0.0.1:80"));
        await using var host = await WebHost.StartWithEngineAsync(
            checks => new HealthEngine(new InMemoryIpvsTable(), new InMemoryAdminStateStore(), checks),
            new WebOptions { RealserverHistograms = true, RealserverDetails = true },
            services => services.AddSingleton(new AlertCounters()));
        var engine = host.Services.GetRequiredService<HealthEngine>();
        engine.ApplyTopology(new Topology(
            [new VirtualServiceSpec("web", new ServiceConfig(vip, "wlc"), [new RealServerSpec(refused, 1, ForwardMethod.Masquerade,
                [new RealServerCheck(new TcpCheckSpec(), new CheckTarget(refused, refused, "web"), new CheckSchedule(TimeSpan.FromMilliseconds(100), 1, 1))])])],
            new EngineOptions()));
        await engine.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            string text;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            do
            {
                await Task.Delay(100, TestContext.Current.CancellationToken);
                text = await host.Client.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
                Assert.True(DateTime.UtcNow < deadline, "no check result reached /metrics within 30 s");
            }
            while (!text.Contains("ipvs_checkd_realserver_checks_total{", StringComparison.Ordinal));

            var exported = TypeLine().Matches(text).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
            var documented = Documented();

            Assert.True(documented.Count > 30, $"only {documented.Count} series found in docs/metrics.md: is the table format still the same?");
            Assert.Empty(exported.Where(e => e.Key.StartsWith("ipvs_checkd_", StringComparison.Ordinal) && !documented.ContainsKey(e.Key)).Select(e => e.Key).Order());
            Assert.Empty(documented.Where(d => !exported.ContainsKey(d.Key)).Select(d => d.Key).Order());
            Assert.Empty(documented.Where(d => exported[d.Key] != d.Value).Select(d => $"{d.Key}: documented {d.Value}, exported {exported[d.Key]}").Order());
        }
        finally
        {
            await engine.StopAsync(CancellationToken.None);
        }
    }

    private static IPEndPoint DeadEndPoint()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return (IPEndPoint)probe.LocalEndpoint;
    }

    /// <summary>
    /// Table rows of docs/metrics.md: "| `NAME` | TYPE |", or several names in the first cell, where `..._SUFFIX`
    /// stands for the previous name with as many trailing words replaced.
    /// </summary>
    private static Dictionary<string, string> Documented()
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in RepoDocs.Read("metrics.md").Split('\n'))
        {
            var cells = line.Split('|');
            var kind = cells.Length >= 4 ? cells[2].Trim() : "";
            if (kind is not ("gauge" or "counter" or "histogram"))
            {
                continue;
            }
            string? previous = null;
            foreach (Match m in Backticked().Matches(cells[1]))
            {
                var name = m.Groups[1].Value;
                if (name.StartsWith("..._", StringComparison.Ordinal) && previous is not null)
                {
                    var suffix = name[4..];
                    var words = previous.Split('_');
                    name = string.Join('_', words[..^suffix.Split('_').Length]) + "_" + suffix;
                }
                if (name.StartsWith("ipvs_checkd_", StringComparison.Ordinal))
                {
                    names[name] = kind;
                    previous = name;
                }
            }
        }
        return names;
    }

    [GeneratedRegex(@"^# TYPE (\S+) (\w+)$", RegexOptions.Multiline)]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex Backticked();
}
