using System.Collections.Concurrent;
using Ipvs.Checks;
using static Ipvs.Engine.Tests.EngineHarness;

namespace Ipvs.Engine.Tests;

/// <summary>
/// On the system clock the engine hands the socket probes a pass starts to the probe loop thread in one batch, so
/// the probes' syscalls and their completions share that thread's passes (no wake-up of another thread per probe).
/// </summary>
public class EngineProbeThreadTests
{
    [Fact]
    public async Task Start_SystemClock_ProbesRunOnProbeLoopThread()
    {
        var probes = new ThreadRecordingChecks();
        var engine = new HealthEngine(new InMemoryIpvsTable(), new InMemoryAdminStateStore(), probes, TimeProvider.System);
        await using var _ = engine;
        engine.ApplyTopology(Topo(new EngineOptions(),
            VirtualService("web", Service(), RealServer(Rs(1), 10, Every(0.1, rise: 1, fall: 1)), RealServer(Rs(2), 10, Every(0.1, rise: 1, fall: 1)))));
        await engine.StartAsync();

        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (probes.Runs.Count < 10 || engine.Counters.ChecksPassed < 10)
        {
            Assert.True(DateTime.UtcNow < until, $"only {probes.Runs.Count} runs, {engine.Counters.ChecksPassed} taken in within 30 s");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.All(probes.Runs, onLoop => Assert.True(onLoop, "a probe started off the probe loop thread"));
    }

    private sealed class ThreadRecordingChecks : IHealthCheckFactory
    {
        public ConcurrentQueue<bool> Runs { get; } = new();

        public IHealthCheck Create(CheckSpec spec, CheckTarget target) => new Probe(this, spec, target);

        private sealed class Probe(ThreadRecordingChecks owner, CheckSpec spec, CheckTarget target) : IHealthCheck
        {
            public CheckSpec Spec => spec;

            public CheckTarget Target => target;

            public ValueTask<CheckResult> RunAsync(CancellationToken cancellationToken = default)
            {
                owner.Runs.Enqueue(ProbeLoop.IsCurrentThread);
                return new ValueTask<CheckResult>(CheckResult.Pass(TimeSpan.Zero));
            }

            public void Dispose()
            {
            }
        }
    }
}
