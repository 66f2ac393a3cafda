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

    public async ValueTask InitializeAsync() => _host = await WebHost.StartAsync(_source, _source, new WebOptions { RealserverDetails = true });

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
    public async Task Scrape_DefaultOptions_ExportsSevenSeriesPerRealserverAndNoDetails()
    {
        await using var host = await WebHost.StartAsync(_source, _source, new WebOptions());

        var text = await host.Client.GetStringAsync("/metrics", TestContext.Current.CancellationToken);

        var perRealserver = text.Split('\n').Where(l => l.Contains($"{{{WebRs1}}} ", StringComparison.Ordinal)).Select(l => l[..l.IndexOf('{', StringComparison.Ordinal)]).ToList();
        Assert.Equal(
            ["ipvs_checkd_realserver_admin_state", "ipvs_checkd_realserver_flap_damped", "ipvs_checkd_realserver_health", "ipvs_checkd_realserver_transitions_total",
             "ipvs_checkd_realserver_up", "ipvs_checkd_realserver_weight_desired", "ipvs_checkd_realserver_weight_kernel"],
            perRealserver.Order());
        Assert.DoesNotContain("ipvs_checkd_realserver_last_check_duration_seconds", text);
        Assert.DoesNotContain("ipvs_checkd_realserver_check_duration_seconds", text);
    }

    [Fact]
    public async Task Scrape_AcceptsGzip_AnswersCompressedSameText()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        using var response = await _host.Client.SendAsync(request, TestContext.Current.CancellationToken);
        var compressed = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        using var unzip = new System.IO.Compression.GZipStream(new MemoryStream(compressed), System.IO.Compression.CompressionMode.Decompress);
        var text = await new StreamReader(unzip).ReadToEndAsync(TestContext.Current.CancellationToken);
        Assert.Contains($"ipvs_checkd_realserver_up{{{WebRs1}}} 1", text);
        Assert.Contains("ipvs_checkd_checks_in_flight 3", text);
        Assert.True(compressed.Length * 3 < System.Text.Encoding.UTF8.GetByteCount(text), $"gzip {compressed.Length} B of {text.Length} B");
    }

    [Fact]
    public async Task Scrape_ProcessSeries_ReadTheDaemonsOwnProcess()
    {
        var text = await Scrape();

        Assert.InRange(Value(text, "process_cpu_seconds_total"), 0.01, Environment.CpuUsage.TotalTime.TotalSeconds);
        Assert.InRange(Value(text, "process_resident_memory_bytes"), 1 << 20, double.MaxValue);
        Assert.Equal(Directory.GetFiles("/proc/self/fd").Length, Value(text, "process_open_fds"), 20.0);
        Assert.InRange(Value(text, "process_max_fds"), 64, double.MaxValue);
        Assert.Equal(System.Diagnostics.Process.GetCurrentProcess().Threads.Count, Value(text, "process_threads"), 10.0);
        Assert.Equal(GC.CollectionCount(0), Value(text, "dotnet_gc_collections_total{generation=\"0\"}"), 5.0);
        Assert.InRange(Value(text, "dotnet_gc_allocated_bytes_total"), 1, double.MaxValue);
    }

    private static double Value(string text, string series)
    {
        var line = text.Split('\n').Single(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
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
