namespace Ipvs.Daemon.Web.Metrics;

/// <summary>Result counts of every probe of one realserver endpoint (all check kinds), read by the status API.</summary>
public sealed class CheckStats
{
    internal long _passed;
    internal long _failed;
    internal long _errored;
    internal int _probes;

    public long Passed => Volatile.Read(ref _passed);

    public long Failed => Volatile.Read(ref _failed);

    public long Errored => Volatile.Read(ref _errored);
}
