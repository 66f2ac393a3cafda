using Ipvs.Daemon.Web;
using Ipvs.Daemon.Web.Status;
using Xunit;

namespace Ipvs.Daemon.Tests.Web;

public sealed class MetricsEndpointTests : IAsyncLifetime
{
    private const string WebRs1 = "virtual_service=\"web\",local_address=\"10.0.0.1\",local_port=\"80\",local_mark=\"\",proto=\"TCP\",remote_address=\"10.0.1.1\",remote_port=\"80\"";
    private const string MailRs3 = "virtual_service=\"mail\",local_address=\"10.0.0.2\",local_port=\"25\",local_mark=\"\",proto=\"TCP\",remote_address=\"10.0.1.3\",remote_port=\"25\"";
    private readonly FakeStatusSource _source = FakeStatusSource.TwoServices();
    private WebHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await WebHost.StartAsync(_source, _source, new WebOptions());

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private Task<string> Scrape() => _host.Client.GetStringAsync("/metrics", TestContext.Current.CancellationToken);

    [Fact]
    public async Task Scrape_TwoServices_ExportsRealserverSeriesWithNodeExporterLabels()
    {
        var text = await Scrape();

        Assert.Contains($"ipvs_checkd_realserver_up{{{WebRs1}}} 1", text);
        Assert.Contains($"ipvs_checkd_realserver_up{{{MailRs3}}} 0", text);
        Assert.Contains($"ipvs_checkd_realserver_health{{{MailRs3}}} 3", text);
        Assert.Contains($"ipvs_checkd_realserver_weight_configured{{{WebRs1}}} 10", text);
        Assert.Contains($"ipvs_checkd_realserver_weight_kernel{{{MailRs3}}} 0", text);
        Assert.Contains($"ipvs_checkd_realserver_transitions_total{{{WebRs1}}} 1", text);
        Assert.Contains($"ipvs_checkd_realserver_last_change_timestamp_seconds{{{WebRs1}}} {FakeStatusSource.Start.ToUnixTimeSeconds()}", text);
        Assert.Contains($"ipvs_checkd_realserver_last_check_duration_seconds{{{WebRs1}}} 0.0015", text);
    }

    [Fact]
    public async Task Scrape_TwoServices_ExportsServiceAndDaemonSeries()
    {
        var text = await Scrape();

        const string Mail = "virtual_service=\"mail\",local_address=\"10.0.0.2\",local_port=\"25\",local_mark=\"\",proto=\"TCP\"";
        Assert.Contains($"ipvs_checkd_virtual_service_live_realservers{{{Mail}}} 1", text);
        Assert.Contains($"ipvs_checkd_virtual_service_realservers{{{Mail}}} 2", text);
        Assert.Contains($"ipvs_checkd_virtual_service_quorum_up{{{Mail}}} 1", text);
        Assert.Contains($"ipvs_checkd_virtual_service_connections_total{{{Mail}}} 100", text);
        Assert.Contains($"ipvs_checkd_virtual_service_outgoing_bytes_total{{{Mail}}} 128000", text);
        Assert.Contains("ipvs_checkd_checks_in_flight 3", text);
        Assert.Contains("ipvs_checkd_checks_per_second 42.5", text);
        Assert.Contains("ipvs_checkd_engine_lag_seconds 0.0008", text);
        Assert.Contains("ipvs_checkd_netlink_edits_total 12", text);
        Assert.Contains("ipvs_checkd_netlink_errors_total 1", text);
        Assert.Contains("ipvs_checkd_reconcile_passes_total 30", text);
        Assert.Contains("ipvs_checkd_drift_found_total 2", text);
        Assert.Contains("ipvs_checkd_state_save_failures_total 4", text);
        Assert.Contains("ipvs_checkd_state_save_ok 0", text);
        Assert.Contains("ipvs_checkd_engine_lag_max_seconds 0.6125", text);
        Assert.Contains("ipvs_checkd_results_distrusted_total 7", text);
        Assert.Contains("ipvs_checkd_results_distrusted_by_kind_total{kind=\"timeout\"} 6", text);
        Assert.Contains("ipvs_checkd_results_distrusted_by_kind_total{kind=\"deadline_cut_short\"} 1", text);
        Assert.Contains("ipvs_checkd_failures_trusted_while_lagging_total{kind=\"refused\"} 9", text);
        Assert.Contains("ipvs_checkd_failures_trusted_while_lagging_total{kind=\"wrong_answer\"} 0", text);
        Assert.Contains("ipvs_checkd_distrusted_rechecks_total 3", text);
    }

    [Fact]
    public async Task Scrape_AfterRealserverGoesDown_ShowsNewValues()
    {
        Assert.Contains($"ipvs_checkd_realserver_up{{{WebRs1}}} 1", await Scrape());
        _source.Update((vs, rs) => vs.Name == "web" && rs.Address == "10.0.1.1", rs => rs with
        {
            Health = HealthState.Down,
            HealthSince = FakeStatusSource.Start.AddMinutes(1),
            Weight = rs.Weight with { Desired = 0, Kernel = 0 },
            Transitions = 2,
            ChecksFailed = 4,
        });

        var text = await Scrape();

        Assert.Contains($"ipvs_checkd_realserver_up{{{WebRs1}}} 0", text);
        Assert.Contains($"ipvs_checkd_realserver_weight_desired{{{WebRs1}}} 0", text);
        Assert.Contains($"ipvs_checkd_realserver_transitions_total{{{WebRs1}}} 2", text);
        Assert.Contains($"ipvs_checkd_realserver_last_change_timestamp_seconds{{{WebRs1}}} {FakeStatusSource.Start.AddMinutes(1).ToUnixTimeSeconds()}", text);
        Assert.Contains("ipvs_checkd_virtual_service_live_realservers{virtual_service=\"web\",local_address=\"10.0.0.1\",local_port=\"80\",local_mark=\"\",proto=\"TCP\"} 1", text);
    }

    [Fact]
    public async Task Scrape_AfterReloadRemovedAService_DropsItsSeries()
    {
        Assert.Contains(MailRs3, await Scrape());
        _source.Remove("mail");

        var text = await Scrape();

        Assert.DoesNotContain("virtual_service=\"mail\"", text);
        Assert.Contains(WebRs1, text);
    }

    [Fact]
    public async Task Scrape_KernelCounterWentBackwards_RestartsTheCounter()
    {
        Assert.Contains("ipvs_checkd_virtual_service_connections_total{virtual_service=\"web\"", await Scrape());
        _source.Remove("web");
        _source.Add(FakeStatusSource.Service("web", "10.0.0.1", 80, FakeStatusSource.Server("10.0.1.1", 80, HealthState.Up)) with
        {
            Kernel = new KernelCounters(5, 0, 0, 0, 0),
        });

        var text = await Scrape();

        Assert.Contains("ipvs_checkd_virtual_service_connections_total{virtual_service=\"web\",local_address=\"10.0.0.1\",local_port=\"80\",local_mark=\"\",proto=\"TCP\"} 5", text);
    }

    [Fact]
    public async Task Scrape_FirewallMarkService_UsesFwmProtoAndHexMark()
    {
        _source.Add(FakeStatusSource.Service("marked", "", 0, FakeStatusSource.Server("10.0.3.1", 0, HealthState.Up)) with { Fwmark = 12 });

        var text = await Scrape();

        Assert.Contains("ipvs_checkd_realserver_up{virtual_service=\"marked\",local_address=\"\",local_port=\"0\",local_mark=\"0000000C\",proto=\"FWM\",remote_address=\"10.0.3.1\",remote_port=\"0\"} 1", text);
    }
}
