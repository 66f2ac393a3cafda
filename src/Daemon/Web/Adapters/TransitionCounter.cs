using System.Collections.Concurrent;
using System.Net;

namespace Ipvs.Daemon.Web.Adapters;

/// <summary>Health transitions per (virtual service, realserver), counted from the engine's events.</summary>
public sealed class TransitionCounter
{
    private readonly ConcurrentDictionary<(string, IPEndPoint), StrongBox> _counts = new();

    public void Increment(string virtualService, IPEndPoint realserver) =>
        Interlocked.Increment(ref _counts.GetOrAdd((virtualService, realserver), _ => new StrongBox()).Value);

    public long Get(string virtualService, IPEndPoint realserver) =>
        _counts.TryGetValue((virtualService, realserver), out var box) ? Volatile.Read(ref box.Value) : 0;

    /// <summary>Forgets realservers that are no longer configured (after a reload), so memory stays bounded.</summary>
    public void Retain(HashSet<(string, IPEndPoint)> live)
    {
        foreach (var key in _counts.Keys)
        {
            if (!live.Contains(key))
            {
                _counts.TryRemove(key, out _);
            }
        }
    }

    private sealed class StrongBox
    {
        public long Value;
    }
}
