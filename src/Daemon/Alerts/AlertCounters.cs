namespace Ipvs.Daemon.Alerts;

/// <summary>Plain counters of the alert pipeline, exported by the metrics endpoint.</summary>
public sealed class AlertCounters
{
    internal long _sent;
    internal long _failed;
    internal long _dropped;
    internal long _transitionsDropped;
    internal long _suppressed;

    /// <summary>Hook calls that succeeded (one alert to two hooks counts two).</summary>
    public long Sent => Volatile.Read(ref _sent);

    /// <summary>Hook calls that failed or timed out.</summary>
    public long Failed => Volatile.Read(ref _failed);

    /// <summary>Alerts dropped because the hook queue was full (hooks slower than alerts come).</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>Transitions dropped because the intake queue was full.</summary>
    public long TransitionsDropped => Volatile.Read(ref _transitionsDropped);

    /// <summary>Down alerts not sent because the host had reached the maximum count.</summary>
    public long Suppressed => Volatile.Read(ref _suppressed);
}
