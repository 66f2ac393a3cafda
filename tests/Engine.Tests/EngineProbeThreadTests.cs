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

    [Fact]
    public async Task Start_ThreeLoops_TargetsSpreadAndEachProbeRunsOnItsPinnedLoop()
    {
        using var loops = new ProbeLoops(3);
        var probes = new ThreadRecordingChecks();
        var engine = new HealthEngine(new InMemoryIpvsTable(), new InMemoryAdminStateStore(), probes, TimeProvider.System, probeLoops: loops);
        await using var _ = engine;
        // Six targets, two services sharing them: each target is pinned once, two per loop.
        var realServers = Enumerable.Range(1, 6).Select(i => RealServer(Rs(i), 10, Every(0.1, rise: 1, fall: 1))).ToArray();
        engine.ApplyTopology(Topo(new EngineOptions(), VirtualService("a", Service(1), realServers), VirtualService("b", Service(2), realServers)));
        await engine.StartAsync();

        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (probes.Loops.Count < 3 || engine.Counters.ChecksPassed < 30)
        {
            Assert.True(DateTime.UtcNow < until, $"only {probes.Runs.Count} runs on {probes.Loops.Count} loops within 30 s");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.All(probes.Runs, onLoop => Assert.True(onLoop, "a probe started off the loop its target is pinned to"));
        Assert.Equal(6, probes.Created);
        var status = engine.ProbeLoops();
        Assert.Equal([0, 1, 2], status.Select(l => l.Index));
        Assert.All(status, l => Assert.Equal(2, l.Targets));
        Assert.All(status, l => Assert.True(l.Passes > 0, $"loop {l.Index} ran no pass"));
    }

    private sealed class ThreadRecordingChecks : IHealthCheckFactory
    {
        public ConcurrentQueue<bool> Runs { get; } = new();

        /// <summary>The loops probes ran on (index).</summary>
        public ConcurrentDictionary<int, bool> Loops { get; } = new();

        public int Created;

        public IHealthCheck Create(CheckSpec spec, CheckTarget target, ProbeLoop loop)
        {
            Interlocked.Increment(ref Created);
            return new Probe(this, spec, target, loop);
        }

        private sealed class Probe(ThreadRecordingChecks owner, CheckSpec spec, CheckTarget target, ProbeLoop loop) : IHealthCheck
        {
            public CheckSpec Spec => spec;

            public CheckTarget Target => target;

            public ValueTask<CheckResult> RunAsync(CancellationToken cancellationToken = default)
            {
                owner.Runs.Enqueue(loop.IsCurrentThread);
                owner.Loops[loop.Index] = true;
                return new ValueTask<CheckResult>(CheckResult.Pass(TimeSpan.Zero));
            }

            public void Dispose()
            {
            }
        }
    }
}
