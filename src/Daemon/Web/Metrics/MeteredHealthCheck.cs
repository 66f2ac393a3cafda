using System.Net;
using System.Runtime.CompilerServices;
using Ipvs.Checks;
using Prometheus;

namespace Ipvs.Daemon.Web.Metrics;

/// <summary>A probe that records its results; see <see cref="MeteredCheckFactory"/>.</summary>
internal sealed class MeteredHealthCheck(
    IHealthCheck inner,
    MeteredCheckFactory owner,
    IPEndPoint endPoint,
    CheckStats stats,
    string[] labels,
    Histogram.Child byKind,
    Histogram.Child? perRealserver,
    Counter.Child passed,
    Counter.Child failed,
    Counter.Child errored) : IHealthCheck
{
    private int _disposed;

    public CheckSpec Spec => inner.Spec;

    public CheckTarget Target => inner.Target;

    // Pooled builder: awaiting the inner probe through this wrapper allocates nothing per check.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<CheckResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var result = await inner.RunAsync(cancellationToken).ConfigureAwait(false);
        Record(result);
        return result;
    }

    internal void Record(in CheckResult result)
    {
        var seconds = result.Latency.TotalSeconds;
        byKind.Observe(seconds);
        perRealserver?.Observe(seconds);
        switch (result.Status)
        {
            case CheckStatus.Pass:
                passed.Inc();
                Interlocked.Increment(ref stats._passed);
                break;
            case CheckStatus.Fail:
                failed.Inc();
                Interlocked.Increment(ref stats._failed);
                break;
            default:
                errored.Inc();
                Interlocked.Increment(ref stats._errored);
                break;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            inner.Dispose();
            owner.Release(endPoint, stats, labels);
        }
    }
}
