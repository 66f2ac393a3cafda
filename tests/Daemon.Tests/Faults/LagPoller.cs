using System.Globalization;

namespace Ipvs.Daemon.Tests.Faults;

/// <summary>
/// For the starvation test: samples the daemon's own lag gauge (<c>ipvs_checkd_engine_lag_seconds</c> on its /metrics, at the listen
/// address the generated config gives it) twice a second while alive; <see cref="Max"/> is the largest seen.
/// </summary>
internal sealed class LagPoller : IDisposable
{
    private const string Metric = "ipvs_checkd_engine_lag_seconds ";
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private double _max = double.NaN;

    public LagPoller(string metricsUrl = "http://127.0.0.1:9480/metrics")
    {
        _loop = Task.Run(async () =>
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    foreach (var line in (await http.GetStringAsync(metricsUrl, _stop.Token)).Split('\n'))
                    {
                        if (line.StartsWith(Metric, StringComparison.Ordinal)
                            && double.TryParse(line.AsSpan(Metric.Length), NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                        {
                            _max = double.IsNaN(_max) ? v : Math.Max(_max, v);
                        }
                    }
                    await Task.Delay(500, _stop.Token);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OperationCanceledException)
                {
                    // A scrape that timed out under starvation is simply not a sample.
                }
            }
        });
    }

    /// <summary>Largest lag seen, or null when no scrape succeeded.</summary>
    public double? Max => double.IsNaN(_max) ? null : _max;

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }
}
