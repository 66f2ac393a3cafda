using Ipvs.Engine;

namespace Ipvs.Bench.Micro.Engine;

/// <summary>A clock the benchmark moves by hand; timers never fire (the benchmark pumps the engine itself).</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private long _ticks;

    public void Advance(TimeSpan by) => _ticks += by.Ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _ticks;

    public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(_ticks);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => new NoTimer();

    private sealed class NoTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => default;
    }
}

/// <summary>The engine's side only: a probe that passes at once, so what is measured is scheduling and state.</summary>
internal sealed class NoOpChecks : IHealthCheckFactory
{
    public Ipvs.Checks.IHealthCheck Create(Ipvs.Checks.CheckSpec spec, Ipvs.Checks.CheckTarget target, Ipvs.Checks.ProbeLoop loop) => new Probe(spec, target);

    private sealed class Probe(Ipvs.Checks.CheckSpec spec, Ipvs.Checks.CheckTarget target) : Ipvs.Checks.IHealthCheck
    {
        private static readonly Ipvs.Checks.CheckResult Passed = Ipvs.Checks.CheckResult.Pass(TimeSpan.FromMilliseconds(1));

        public Ipvs.Checks.CheckSpec Spec => spec;

        public Ipvs.Checks.CheckTarget Target => target;

        public ValueTask<Ipvs.Checks.CheckResult> RunAsync(CancellationToken cancellationToken = default) => new(Passed);

        public void Dispose()
        {
        }
    }
}
