using System.Net;
using Ipvs.Checks;

namespace Ipvs.Engine.Tests;

/// <summary>
/// Probes whose verdict the test sets per probed endpoint; they answer at once, so everything runs in the
/// fake clock. Every run is recorded with the fake time it started at.
/// </summary>
public sealed class ScriptedChecks(TimeProvider time) : IHealthCheckFactory
{
    private readonly Dictionary<IPEndPoint, CheckResult> _verdicts = [];

    public List<(IPEndPoint Target, DateTimeOffset At)> Runs { get; } = [];

    public int Created { get; private set; }

    public int Disposed { get; private set; }

    /// <summary>When set, probes for these endpoints never finish (until <see cref="CompleteHung"/>).</summary>
    public HashSet<IPEndPoint> Hang { get; } = [];

    private readonly List<(TaskCompletionSource<CheckResult> Tcs, IPEndPoint Target)> _hung = [];

    public void Set(IPEndPoint target, bool pass, int? weight = null) =>
        _verdicts[target] = pass ? CheckResult.Pass(TimeSpan.FromMilliseconds(1), weight) : CheckResult.Fail(FailureKind.Refused, "connection refused", TimeSpan.FromMilliseconds(1));

    /// <summary>The target fails with a failure of <paramref name="kind"/> (a timeout: the kind the lag guard distrusts).</summary>
    public void SetFailure(IPEndPoint target, FailureKind kind, string reason = "timeout after 1000 ms while connecting") =>
        _verdicts[target] = CheckResult.Fail(kind, reason, TimeSpan.FromMilliseconds(1));

    /// <summary>Any result, as a probe would return it (an agent's report, say).</summary>
    public void SetResult(IPEndPoint target, CheckResult result) => _verdicts[target] = result;

    public void SetError(IPEndPoint target) =>
        _verdicts[target] = CheckResult.Error("no file descriptors", TimeSpan.Zero);

    public void SetAll(IEnumerable<IPEndPoint> targets, bool pass)
    {
        foreach (var t in targets)
        {
            Set(t, pass);
        }
    }

    public int HungCount => _hung.Count;

    public void CompleteHung(bool pass)
    {
        var hung = _hung.ToArray();
        _hung.Clear();
        foreach (var (tcs, _) in hung)
        {
            tcs.SetResult(pass ? CheckResult.Pass(TimeSpan.Zero) : CheckResult.Fail(FailureKind.Timeout, "timeout", TimeSpan.FromSeconds(1)));
        }
    }

    public int RunsOf(IPEndPoint target) => Runs.Count(r => r.Target.Equals(target));

    public IHealthCheck Create(CheckSpec spec, CheckTarget target, ProbeLoop loop)
    {
        Created++;
        return new Probe(this, spec, target);
    }

    private sealed class Probe(ScriptedChecks owner, CheckSpec spec, CheckTarget target) : IHealthCheck
    {
        public CheckSpec Spec => spec;

        public CheckTarget Target => target;

        public ValueTask<CheckResult> RunAsync(CancellationToken cancellationToken = default)
        {
            owner.Runs.Add((target.EndPoint, owner._time.GetUtcNow()));
            if (owner.Hang.Contains(target.EndPoint))
            {
                var tcs = new TaskCompletionSource<CheckResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                owner._hung.Add((tcs, target.EndPoint));
                return new ValueTask<CheckResult>(tcs.Task);
            }
            return new ValueTask<CheckResult>(owner._verdicts.TryGetValue(target.EndPoint, out var r) ? r : CheckResult.Pass(TimeSpan.Zero));
        }

        public void Dispose() => owner.Disposed++;
    }

    private readonly TimeProvider _time = time;
}
