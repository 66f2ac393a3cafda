using System.Collections.Concurrent;

namespace Ipvs.RealKernel.Tests.Support;

/// <summary>
/// Reads the kernel table every 50 ms on a thread of its own and records every moment a watched destination is not
/// as it must be (a weight, or null: absent). Bounded: it stops by itself after five minutes.
/// </summary>
internal sealed class FlapWatcher : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private int _samples;

    public FlapWatcher(IReadOnlyDictionary<string, int?> keep)
    {
        _thread = new Thread(() =>
        {
            using var view = new KernelView();
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5); // bounded even if the test never stops it
            while (!_stop.IsCancellationRequested && DateTime.UtcNow < deadline)
            {
                var w = view.Weights();
                foreach (var (key, want) in keep)
                {
                    int? have = w.TryGetValue(key, out var v) ? v : null;
                    if (have != want)
                    {
                        Violations.Add($"{DateTime.UtcNow:HH:mm:ss.fff} {key}: {have?.ToString() ?? "absent"} (must stay {want?.ToString() ?? "absent"})");
                    }
                }
                Interlocked.Increment(ref _samples);
                Thread.Sleep(50);
            }
        }) { IsBackground = true, Name = "flap watcher" };
        _thread.Start();
    }

    public ConcurrentBag<string> Violations { get; } = [];

    public int Samples => Volatile.Read(ref _samples);

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join(TimeSpan.FromSeconds(10));
    }
}
