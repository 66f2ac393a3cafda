using System.Text.RegularExpressions;
using Ipvs.Daemon.Web;
using Ipvs.Daemon.Web.Status;
using Xunit;

namespace Ipvs.Daemon.Tests.Web;

/// <summary>The status page rendered by real headless Chromium against the web side on loopback.</summary>
public sealed partial class StatusPageBrowserTests : IAsyncLifetime
{
    private readonly FakeStatusSource _source = FakeStatusSource.TwoServices();
    private WebHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await WebHost.StartAsync(_source, _source, new WebOptions());

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Page_Loaded_RendersEveryRealserverWithItsStateClass()
    {
        var dom = await Chromium.DumpDomAsync(_host.BaseAddress, 3000, TestContext.Current.CancellationToken);

        var rows = Rows(dom);
        Assert.Equal(4, rows.Count);
        Assert.Equal("state-up admin-ready", rows[("web", "10.0.1.1:80")]);
        Assert.Equal("state-up admin-ready", rows[("web", "10.0.1.2:80")]);
        Assert.Equal("state-up admin-ready", rows[("mail", "10.0.1.1:25")]);
        Assert.Equal("state-down admin-ready", rows[("mail", "10.0.1.3:25")]);
        Assert.Contains("connection refused", dom);
        Assert.Matches("<dd id=\"sum-up\">3 / 4</dd>", dom);
        Assert.Matches("<dd id=\"sum-kernel\">in-memory</dd>", dom);
    }

    [Fact]
    public async Task Page_StateChangesWhileOpen_UpdatesRowWithoutReload()
    {
        // The page's third poll and later see 10.0.1.2:80 down and drained: only a page that keeps polling shows it.
        _source.OnCapture = n =>
        {
            if (n == 3)
            {
                _source.Update((vs, rs) => vs.Name == "web" && rs.Address == "10.0.1.2", rs => rs with
                {
                    Health = HealthState.Down,
                    Admin = new AdminInfo(AdminState.Drain, "api 127.0.0.1", FakeStatusSource.Start),
                    LastCheck = new LastCheck(CheckOutcome.Fail, "timeout after 1000 ms", 1000, FakeStatusSource.Start),
                });
            }
        };

        var dom = await Chromium.DumpDomAsync(_host.BaseAddress, 6000, TestContext.Current.CancellationToken);

        Assert.True(_source.Captures >= 3, $"the page polled {_source.Captures} times");
        var updates = int.Parse(UpdatesRegex().Match(dom).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(updates >= 3, $"the page rendered {updates} updates");
        var rows = Rows(dom);
        Assert.Equal("state-down admin-drain", rows[("web", "10.0.1.2:80")]);
        Assert.Equal("state-up admin-ready", rows[("web", "10.0.1.1:80")]);
        Assert.Contains("timeout after 1000 ms", dom);
    }

    [Fact]
    public async Task Page_OnlyProblemsFilter_ShowsOnlyProblemRows()
    {
        var dom = await Chromium.DumpDomAsync(new Uri(_host.BaseAddress, "/?problems=1"), 3000, TestContext.Current.CancellationToken);

        var rows = Rows(dom);
        Assert.Equal([("mail", "10.0.1.3:25")], rows.Keys);
    }

    [Fact]
    public async Task Page_TextFilter_ShowsOnlyMatchingRows()
    {
        var dom = await Chromium.DumpDomAsync(new Uri(_host.BaseAddress, "/?q=10.0.1.1"), 3000, TestContext.Current.CancellationToken);

        var rows = Rows(dom);
        Assert.Equal(2, rows.Count);
        Assert.Contains(("web", "10.0.1.1:80"), rows.Keys);
        Assert.Contains(("mail", "10.0.1.1:25"), rows.Keys);
    }

    /// <summary>(virtual service, realserver) → the row's state classes, from the rendered DOM.</summary>
    private static Dictionary<(string, string), string> Rows(string dom)
    {
        var rows = new Dictionary<(string, string), string>();
        foreach (Match m in RowRegex().Matches(dom))
        {
            rows.Add((m.Groups["vs"].Value, m.Groups["rs"].Value), m.Groups["cls"].Value);
        }
        return rows;
    }

    [GeneratedRegex("<tr class=\"rs (?<cls>[^\"]*)\" data-vs=\"(?<vs>[^\"]*)\" data-rs=\"(?<rs>[^\"]*)\">")]
    private static partial Regex RowRegex();

    [GeneratedRegex("<body data-updates=\"(\\d+)\"")]
    private static partial Regex UpdatesRegex();
}
