namespace Ipvs.Engine;

/// <summary>
/// Start lags (start time minus due time) in 100 µs buckets up to 10 s, for percentiles without storing samples.
/// Written by the loop only; read after the fact by benchmarks.
/// </summary>
internal sealed class LagHistogram
{
    private const long BucketTicks = TimeSpan.TicksPerMillisecond / 10;
    private readonly long[] _counts = new long[100_001];

    public long Count { get; private set; }

    public TimeSpan Max { get; private set; }

    public void Add(long lagTicks)
    {
        var b = lagTicks <= 0 ? 0 : Math.Min(lagTicks / BucketTicks, _counts.Length - 1);
        _counts[b]++;
        Count++;
        if (lagTicks > Max.Ticks)
        {
            Max = TimeSpan.FromTicks(lagTicks);
        }
    }

    public void Reset()
    {
        Array.Clear(_counts);
        Count = 0;
        Max = TimeSpan.Zero;
    }

    /// <summary>The lag below which <paramref name="p"/> (0..1) of the samples lie (bucket upper edge).</summary>
    public TimeSpan Percentile(double p)
    {
        if (Count == 0)
        {
            return TimeSpan.Zero;
        }
        var want = (long)Math.Ceiling(p * Count);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= want)
            {
                return TimeSpan.FromTicks((i + 1) * BucketTicks);
            }
        }
        return TimeSpan.FromSeconds(10);
    }
}
