using System.Globalization;

namespace Ipvs.Bench.SideBySide;

/// <summary>
/// The largest engine lag ipvs-checkd reported over a window, from its own high-water mark
/// (<c>ipvs_checkd_engine_lag_max_seconds</c> on its /metrics, at the listen address the generated config gives it),
/// read once when the window starts and once when it ends. Two scrapes, not a poll: a scrape renders every series
/// of every realserver, and a poll twice a second (the earlier sampler) added that work to the CPU the starved
/// report counts as the daemon's own.
/// </summary>
internal sealed class LagSampler
{
    private const string Metric = "ipvs_checkd_engine_lag_max_seconds ";
    private readonly string _url;
    private readonly double? _atStart;

    public LagSampler(string metricsUrl = "http://127.0.0.1:9480/metrics")
    {
        _url = metricsUrl;
        _atStart = Read();
    }

    /// <summary>
    /// The window's largest lag when it set a new high-water mark; otherwise the mark from before the window
    /// (the window's lag was at most that), flagged by <paramref name="upperBound"/>. Null when the scrape at the
    /// end did not answer: the mark from before the window alone says nothing about the window.
    /// </summary>
    public double? WindowMax(out bool upperBound)
    {
        var atEnd = Read();
        upperBound = atEnd is { } e && _atStart is { } s && e <= s;
        return atEnd;
    }

    private double? Read()
    {
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            foreach (var line in http.GetStringAsync(_url).GetAwaiter().GetResult().Split('\n'))
            {
                if (line.StartsWith(Metric, StringComparison.Ordinal)
                    && double.TryParse(line.AsSpan(Metric.Length), NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                {
                    return v;
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OperationCanceledException)
        {
            // A scrape that timed out under starvation is no sample.
        }
        return null;
    }
}
