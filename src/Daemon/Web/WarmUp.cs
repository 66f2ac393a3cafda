using System.Diagnostics;
using Ipvs.Daemon.Web.Metrics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Ipvs.Daemon.Web;

/// <summary>
/// A cold daemon's first <c>/metrics</c> took 3 s on a host and 6.4 s in the test VM (the first status call 1.4 s
/// and 1.8 s): the metrics library, the series of every realserver, the JSON writer, Kestrel and the routing were all
/// compiled on that first request, close to Prometheus' 10 s scrape timeout. This hosted service pays that before the
/// daemon reports ready: its <see cref="StartedAsync"/> runs once every hosted service, the listener included, has
/// started and before the host announces the start (systemd's READY=1 follows that announcement). It builds the
/// exposition once, then asks its own listener for /metrics and the status, so the first real scrape finds
/// everything compiled.
/// Failures are logged and never stop the start.
/// </summary>
internal sealed partial class WarmUp(IpvsMetrics metrics, IServer server, ILogger<WarmUp> logger) : IHostedLifecycleService
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    /// <summary>Milliseconds the first /metrics took here, or -1 before (or without) the warm-up.</summary>
    public double MetricsMs { get; private set; } = -1;

    public double StatusMs { get; private set; } = -1;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Limit);
            await metrics.Registry.CollectAndExportAsTextAsync(Stream.Null, ExpositionFormat.PrometheusText, timeout.Token).ConfigureAwait(false);
            if (Loopback() is { } baseAddress)
            {
                using var client = new HttpClient { BaseAddress = baseAddress, Timeout = Limit };
                MetricsMs = await Get(client, "/metrics", timeout.Token).ConfigureAwait(false);
                StatusMs = await Get(client, "/api/v1/status", timeout.Token).ConfigureAwait(false);
            }
            LogDone(logger, clock.Elapsed.TotalMilliseconds, MetricsMs, StatusMs);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException or InvalidOperationException)
        {
            LogFailed(logger, e.Message);
        }
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task<double> Get(HttpClient client, string path, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        using var response = await client.GetAsync(path, ct).ConfigureAwait(false);
        await response.Content.CopyToAsync(Stream.Null, ct).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return clock.Elapsed.TotalMilliseconds;
    }

    // The listener's own address, with "every interface" turned into the loopback of its family.
    private Uri? Loopback()
    {
        foreach (var address in server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
        {
            if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
            {
                continue;
            }
            var host = uri.Host switch
            {
                "0.0.0.0" or "*" or "+" => "127.0.0.1",
                "[::]" or "::" => "[::1]",
                var h => h,
            };
            return new Uri($"http://{host}:{uri.Port}/");
        }
        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "warmed up in {Ms:0} ms before reporting ready (own /metrics {MetricsMs:0} ms, /api/v1/status {StatusMs:0} ms)")]
    private static partial void LogDone(ILogger logger, double ms, double metricsMs, double statusMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "warm-up failed ({Error}); the first scrape pays for it")]
    private static partial void LogFailed(ILogger logger, string error);
}
