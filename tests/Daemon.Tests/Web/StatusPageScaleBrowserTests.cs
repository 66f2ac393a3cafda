using System.Globalization;
using System.Text.RegularExpressions;
using Ipvs.Daemon.Web;
using Ipvs.Daemon.Web.Status;
using Xunit;

namespace Ipvs.Daemon.Tests.Web;

/// <summary>
/// The status page in real headless Chromium at 10,000 realservers (1,000 virtual services × 10): it renders one
/// page of rows with the whole table's summary, and its filters (in the URL) reach the daemon. Timings are printed
/// by <c>ipvs-bench status-page</c>, not asserted here.
/// </summary>
public sealed partial class StatusPageScaleBrowserTests : IAsyncLifetime
{
    private const int Services = 1000;
    private const int PerService = 10;
    private readonly FakeStatusSource _source = Large();
    private WebHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await WebHost.StartAsync(_source, _source, new WebOptions());

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    /// <summary>svc-0000..svc-0999 with realservers 10.S.S.R; every 7th service has its realserver 3 down (143 problems).</summary>
    private static FakeStatusSource Large()
    {
        var source = new FakeStatusSource();
        for (var s = 0; s < Services; s++)
        {
            var servers = new RealServerStatus[PerService];
            for (var r = 0; r < PerService; r++)
            {
                servers[r] = FakeStatusSource.Server($"10.{s / 256}.{s % 256}.{r + 1}", 80, s % 7 == 0 && r == 3 ? HealthState.Down : HealthState.Up);
            }
            source.Add(FakeStatusSource.Service(Name(s), $"10.200.{s / 256}.{s % 256}", 80, servers));
        }
        return source;
    }

    private static string Name(int s) => "svc-" + s.ToString("D4", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Page_TenThousandRealservers_RendersOnePageWithTheWholeTablesSummary()
    {
        var dom = await Chromium.DumpDomAsync(_host.BaseAddress, 8000, TestContext.Current.CancellationToken);

        var rows = RowRegex().Matches(dom);
        Assert.Equal(250, rows.Count);
        Assert.Equal("svc-0000", rows[0].Groups["vs"].Value);
        Assert.Equal("svc-0024", rows[^1].Groups["vs"].Value);
        Assert.Contains("<dd id=\"sum-up\">9857 / 10000</dd>", dom);
        Assert.Contains("<dd id=\"sum-problems\">143</dd>", dom);
        Assert.Contains("realservers 1–250 of 10000", dom);
        Assert.Contains("page 1 of 40", dom);
    }

    [Fact]
    public async Task Page_TenThousandRealservers_OnlyProblemsShowsExactlyTheDownOnes()
    {
        var dom = await Chromium.DumpDomAsync(new Uri(_host.BaseAddress, "/?problems=1"), 8000, TestContext.Current.CancellationToken);

        var rows = RowRegex().Matches(dom).Select(m => (m.Groups["vs"].Value, m.Groups["rs"].Value, m.Groups["cls"].Value)).ToList();
        Assert.Equal(143, rows.Count);
        Assert.All(rows, r => Assert.Equal("state-down admin-ready", r.Item3));
        Assert.Equal(Enumerable.Range(0, Services).Where(s => s % 7 == 0).Select(s => (Name(s), $"10.{s / 256}.{s % 256}.4:80")), rows.Select(r => (r.Item1, r.Item2)));
        Assert.Contains("<dd id=\"sum-up\">9857 / 10000</dd>", dom);
    }

    [Fact]
    public async Task Page_TenThousandRealservers_ServiceFilterShowsThatServiceOnly()
    {
        var dom = await Chromium.DumpDomAsync(new Uri(_host.BaseAddress, "/?service=svc-0420"), 8000, TestContext.Current.CancellationToken);

        var rows = RowRegex().Matches(dom).Select(m => (m.Groups["vs"].Value, m.Groups["rs"].Value)).ToList();
        Assert.Equal(Enumerable.Range(1, PerService).Select(r => ("svc-0420", $"10.1.164.{r}:80")), rows);
    }

    [Fact]
    public async Task Page_TenThousandRealservers_SecondPageFromTheUrl()
    {
        var dom = await Chromium.DumpDomAsync(new Uri(_host.BaseAddress, "/?page=2"), 8000, TestContext.Current.CancellationToken);

        var rows = RowRegex().Matches(dom);
        Assert.Equal(250, rows.Count);
        Assert.Equal("svc-0025", rows[0].Groups["vs"].Value);
        Assert.Contains("realservers 251–500 of 10000", dom);
    }

    [GeneratedRegex("<tr class=\"rs (?<cls>[^\"]*)\" data-vs=\"(?<vs>[^\"]*)\" data-rs=\"(?<rs>[^\"]*)\">")]
    private static partial Regex RowRegex();
}
