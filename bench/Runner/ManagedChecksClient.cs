using System.Diagnostics;
using System.Net;
using Ipvs.Bench.Farm;
using Ipvs.Checks;

namespace Ipvs.Bench;

/// <summary>
/// A managed checks client for checks-tcp/-http: one worker per probe, each running its probe back to back. Workers
/// start once and are paused between measured windows, so windows of this client and of the C client can alternate
/// (the machine's load then falls on both alike) without paying set-up and warm-up again.
/// </summary>
internal sealed class ManagedChecksClient : IDisposable
{
    private readonly IHealthCheck[] _probes;
    private readonly long[] _counts;
    private readonly long[] _passes;
    private readonly Task[] _workers;
    private readonly Lock _gateLock = new();
    private TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _parked;
    private bool _paused = true;
    private bool _measuring;
    private bool _stop;
    private bool _warm;

    public ManagedChecksClient(string name, ChecksOptions o, Func<IPEndPoint, IHealthCheck> create)
    {
        Name = name;
        _probes = new IHealthCheck[o.Concurrency];
        for (var i = 0; i < _probes.Length; i++)
        {
            var a = IPAddress.Parse("127.1.0.1").GetAddressBytes();
            var n = (a[2] << 8) + a[3] + (i % o.Servers);
            _probes[i] = create(new IPEndPoint(new IPAddress([a[0], a[1], (byte)(n >> 8), (byte)n]), o.Port));
        }
        _counts = new long[_probes.Length];
        _passes = new long[_probes.Length];
        _workers = new Task[_probes.Length];
        for (var i = 0; i < _workers.Length; i++)
        {
            var index = i;
            _workers[i] = Task.Run(() => WorkerAsync(index));
        }
    }

    public string Name { get; }

    private async Task WorkerAsync(int i)
    {
        var probe = _probes[i];
        while (!Volatile.Read(ref _stop))
        {
            if (Volatile.Read(ref _paused))
            {
                Task gate;
                lock (_gateLock)
                {
                    if (!_paused)
                    {
                        continue; // resumed meanwhile
                    }
                    gate = _gate.Task;
                    _parked++;
                }
                await gate.ConfigureAwait(false);
                continue;
            }
            var r = await probe.RunAsync().ConfigureAwait(false);
            if (Volatile.Read(ref _measuring))
            {
                _counts[i]++;
                _passes[i] += r.Passed ? 1 : 0;
            }
        }
    }

    /// <summary>Runs the workers for one window (after a warm-up: 1 s the first time, 0.3 s after), then parks them.</summary>
    public async Task<ChecksRow> MeasureAsync(int seconds, FarmClient farm)
    {
        Array.Clear(_counts);
        Array.Clear(_passes);
        Resume();
        await Task.Delay(_warm ? 300 : 1000); // pools, JIT, ephemeral ports
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
        await PauseAsync();
        var total = _counts.Sum();
        return new ChecksRow(Name, total / elapsed, 100.0 * _passes.Sum() / Math.Max(total, 1),
            cpu.TotalMilliseconds * 1000 / Math.Max(total, 1), (double)alloc / Math.Max(total, 1), farmCpu.TotalMilliseconds * 1000 / Math.Max(total, 1))
        {
            Checks = total,
            Seconds = elapsed,
        };
    }

    private void Resume()
    {
        lock (_gateLock)
        {
            Volatile.Write(ref _paused, false);
            _parked = 0;
            var open = _gate;
            _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            open.SetResult();
        }
    }

    /// <summary>Parks every worker once its check in flight ends (bounded: each check has its own deadline).</summary>
    private async Task PauseAsync()
    {
        Volatile.Write(ref _paused, true);
        var until = Stopwatch.StartNew();
        while (until.Elapsed < TimeSpan.FromSeconds(10))
        {
            lock (_gateLock)
            {
                if (_parked >= _workers.Length)
                {
                    return;
                }
            }
            await Task.Delay(20);
        }
    }

    public void Dispose()
    {
        Volatile.Write(ref _stop, true);
        Resume();
        Task.WhenAll(_workers).Wait(TimeSpan.FromSeconds(10));
        foreach (var p in _probes)
        {
            p.Dispose();
        }
    }
}
