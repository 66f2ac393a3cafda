namespace Ipvs.Daemon.Web.Adapters;

/// <summary>Turns a growing total into a per-second rate over the time between reads (at least one second apart).</summary>
internal sealed class RateEstimator(TimeProvider time)
{
    private readonly Lock _lock = new();
    private long _lastTotal = -1;
    private long _lastStamp;
    private double _rate;

    public double Update(long total)
    {
        lock (_lock)
        {
            var now = time.GetTimestamp();
            if (_lastTotal < 0 || total < _lastTotal)
            {
                (_lastTotal, _lastStamp) = (total, now);
                return _rate;
            }
            var elapsed = time.GetElapsedTime(_lastStamp, now);
            if (elapsed >= TimeSpan.FromSeconds(1))
            {
                _rate = (total - _lastTotal) / elapsed.TotalSeconds;
                (_lastTotal, _lastStamp) = (total, now);
            }
            return _rate;
        }
    }
}
