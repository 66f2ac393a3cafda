using Prometheus;

namespace Ipvs.Daemon.Web.Metrics;

/// <summary>
/// Remembers which label sets a scrape wrote, then removes every other child of the metrics it tracks:
/// a realserver or virtual service removed by a reload stops being exported at the next scrape.
/// </summary>
internal sealed class SeriesSet
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public void Clear() => _seen.Clear();

    public void Mark(string[] labels) => _seen.Add(Key(labels));

    /// <summary>Removes children whose labels were not marked. Only the given prefix of labels is compared.</summary>
    public void Sweep<TChild>(Collector<TChild> metric, int prefixLength) where TChild : ChildBase
    {
        List<string[]>? stale = null;
        foreach (var values in metric.GetAllLabelValues())
        {
            if (!_seen.Contains(Key(values.AsSpan(0, prefixLength))))
            {
                (stale ??= []).Add(values);
            }
        }
        if (stale is null)
        {
            return;
        }
        foreach (var values in stale)
        {
            metric.RemoveLabelled(values);
        }
    }

    private static string Key(ReadOnlySpan<string> labels) => string.Join('\u0001', labels.ToArray());
}
