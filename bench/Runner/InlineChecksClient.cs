using System.Diagnostics;
using System.Net;
using Ipvs.Bench.Farm;
using Ipvs.Checks;

namespace Ipvs.Bench;

/// <summary>
/// The probes on the probe loop's lean path (<see cref="IInlineCheck.Start"/>), as the engine runs them: each probe
/// is started on the loop thread, and its completion posts the next start to the loop (the next pass: no recursion
/// when a run ends inside Start). Paused between measured windows like <see cref="ManagedChecksClient"/>.
/// </summary>
internal sealed class InlineChecksClient : IDisposable
{
    private readonly Runner[] _runners;
    private readonly IHealthCheck[] _probes;
    private int _parked;
    private bool _paused = true;
    private bool _measuring;
    private bool _warm;

    public InlineChecksClient(string name, ChecksOptions o, Func<IPEndPoint, IHealthCheck> create)
    {
        Name = name;
        _probes = new IHealthCheck[o.Concurrency];
        _runners = new Runner[o.Concurrency];
        for (var i = 0; i < _probes.Length; i++)
        {
            var a = IPAddress.Parse("127.1.0.1").GetAddressBytes();
            var n = (a[2] << 8) + a[3] + (i % o.Servers);
            _probes[i] = create(new IPEndPoint(new IPAddress([a[0], a[1], (byte)(n >> 8), (byte)n]), o.Port));
            _runners[i] = new Runner(this, (IInlineCheck)_probes[i]);
        }
        _parked = _runners.Length;
    }

    public string Name { get; }

    /// <summary>Runs every probe back to back for one window (after a warm-up: 1 s the first time, 0.3 s after), then parks them.</summary>
    public async Task<ChecksRow> MeasureAsync(int seconds, FarmClient farm)
    {
        foreach (var r in _runners)
        {
            r.Checks = 0;
            r.Passes = 0;
        }
        Volatile.Write(ref _paused, false);
        Volatile.Write(ref _parked, 0);
        foreach (var r in _runners)
        {
            ProbeLoop.Standalone.Post(r);
        }
        await Task.Delay(_warm ? 300 : 1000);
        _warm = true;
        var cpu0 = ProcessCpu.Now();
        var farm0 = farm.Cpu();
        var alloc0 = GC.GetTotalAllocatedBytes(true);
        var sw = Stopwatch.StartNew();
        Volatile.Write(ref _measuring, true);
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        Volatile.Write(ref _measuring, false);
        var elapsed = sw.Elapsed.TotalSeconds;
        var alloc = GC.GetTotalAllocatedBytes(true) - alloc0;
        var cpu = ProcessCpu.Now() - cpu0;
        var farmCpu = farm.Cpu() - farm0;
        Volatile.Write(ref _paused, true);
        var until = Stopwatch.StartNew();
        while (Volatile.Read(ref _parked) < _runners.Length && until.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20); // each run in flight ends by its own deadline
        }
        var total = _runners.Sum(r => r.Checks);
        var passes = _runners.Sum(r => r.Passes);
        return new ChecksRow(Name, total / elapsed, 100.0 * passes / Math.Max(total, 1),
            cpu.TotalMilliseconds * 1000 / Math.Max(total, 1), (double)alloc / Math.Max(total, 1), farmCpu.TotalMilliseconds * 1000 / Math.Max(total, 1))
        {
            Checks = total,
            Seconds = elapsed,
        };
    }

    public void Dispose()
    {
        Volatile.Write(ref _paused, true);
        var until = Stopwatch.StartNew();
        while (Volatile.Read(ref _parked) < _runners.Length && until.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(20);
        }
        foreach (var p in _probes)
        {
            p.Dispose();
        }
    }

    private sealed class Runner(InlineChecksClient owner, IInlineCheck probe) : ICheckCompletion, IThreadPoolWorkItem
    {
        public long Checks;
        public long Passes;

        public void Execute()
        {
            if (Volatile.Read(ref owner._paused))
            {
                Interlocked.Increment(ref owner._parked);
                return;
            }
            probe.Start(this);
        }

        public void OnCheckCompleted(in CheckResult result)
        {
            if (Volatile.Read(ref owner._measuring))
            {
                Checks++;
                Passes += result.Passed ? 1 : 0;
            }
            ProbeLoop.Standalone.Post(this);
        }
    }
}
