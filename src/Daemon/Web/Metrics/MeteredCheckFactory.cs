using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Ipvs.Checks;
using Ipvs.Engine;
using Prometheus;

namespace Ipvs.Daemon.Web.Metrics;

/// <summary>
/// Wraps the engine's probe factory so every check result lands in a duration histogram and a result counter.
/// The series children are resolved once when the engine creates a probe, so a check costs two interlocked adds
/// and no allocation; series go away when the last probe of a realserver endpoint is disposed (reload removed it).
/// Labels are per probed realserver endpoint and check kind, not per virtual service: the engine runs a check
/// shared by several services once, and counting it once per service would multiply it.
/// </summary>
public sealed class MeteredCheckFactory : IHealthCheckFactory
{
    internal static readonly string[] Labels = ["remote_address", "remote_port", "check"];
    private static readonly double[] Buckets = [0.001, 0.005, 0.025, 0.1, 0.5, 2.5];
    private readonly IHealthCheckFactory _inner;
    private readonly Histogram? _perRealserver;
    private readonly Histogram _byKind;
    private readonly Counter _results;
    private readonly ConcurrentDictionary<IPEndPoint, CheckStats> _stats = new();
    private readonly Lock _lock = new();

    public MeteredCheckFactory(IHealthCheckFactory inner, MetricsRegistry metrics, bool perRealserverHistogram)
    {
        _inner = inner;
        var factory = metrics.Factory;
        _byKind = factory.CreateHistogram("ipvs_checkd_check_duration_seconds", "Check latency by check kind, all realservers together.",
            new HistogramConfiguration { LabelNames = ["check"], Buckets = Buckets });
        if (perRealserverHistogram)
        {
            _perRealserver = factory.CreateHistogram("ipvs_checkd_realserver_check_duration_seconds", "Check latency per realserver endpoint and check kind.",
                new HistogramConfiguration { LabelNames = Labels, Buckets = Buckets });
        }
        _results = factory.CreateCounter("ipvs_checkd_realserver_checks_total",
            "Checks run per realserver endpoint and kind, by result: pass, fail (the server failed) or error (the check could not run).",
            new CounterConfiguration { LabelNames = [.. Labels, "result"] });
    }

    /// <summary>Result counts of a realserver endpoint; null when no probe of it exists.</summary>
    public CheckStats? StatsFor(IPEndPoint realserver) => _stats.TryGetValue(realserver, out var s) ? s : null;

    public IHealthCheck Create(CheckSpec spec, CheckTarget target, ProbeLoop loop)
    {
        var inner = _inner.Create(spec, target, loop);
        var endPoint = target.RealServer ?? target.EndPoint;
        string[] labels = [endPoint.Address.ToString(), endPoint.Port.ToString(CultureInfo.InvariantCulture), spec.Kind];
        CheckStats stats;
        lock (_lock)
        {
            stats = _stats.GetOrAdd(endPoint, _ => new CheckStats());
            stats._probes++;
        }
        var metered = new MeteredHealthCheck(inner, this, endPoint, stats, labels,
            _byKind.WithLabels(spec.Kind), _perRealserver?.WithLabels(labels),
            _results.WithLabels([.. labels, "pass"]), _results.WithLabels([.. labels, "fail"]), _results.WithLabels([.. labels, "error"]));
        // A probe the loop can drive itself stays one: the engine takes the lean path only for an IInlineCheck.
        return inner is IInlineCheck inline ? new MeteredInlineCheck(metered, inline) : metered;
    }

    internal void Release(IPEndPoint endPoint, CheckStats stats, string[] labels)
    {
        lock (_lock)
        {
            if (--stats._probes > 0)
            {
                return;
            }
            _stats.TryRemove(new KeyValuePair<IPEndPoint, CheckStats>(endPoint, stats));
            _perRealserver?.RemoveLabelled(labels);
            _results.RemoveLabelled([.. labels, "pass"]);
            _results.RemoveLabelled([.. labels, "fail"]);
            _results.RemoveLabelled([.. labels, "error"]);
        }
    }
}
