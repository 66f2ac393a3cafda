using Ipvs.Netlink;

namespace Ipvs.Engine.Tests;

/// <summary>
/// An in-memory table whose dumps can be held at a gate: stands in for a slow kernel dump (thousands of
/// destinations, or a loaded machine) so a test can see what the engine does while one is under way.
/// </summary>
public sealed class GatedTable : IIpvsTable
{
    private readonly SemaphoreSlim _gate = new(0);
    private volatile bool _holding;
    private int _waiting;

    public InMemoryIpvsTable Inner { get; } = new();

    public string Description => Inner.Description;

    /// <summary>Dumps that are waiting at the gate right now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>From now on every dump waits at the gate until <see cref="Release"/>.</summary>
    public void Hold() => _holding = true;

    /// <summary>Lets one waiting dump through; later ones still wait.</summary>
    public void ReleaseOne() => _gate.Release();

    /// <summary>Lets every waiting dump (and every later one) through.</summary>
    public void Release()
    {
        _holding = false;
        _gate.Release(Math.Max(1, Waiting));
    }

    public IReadOnlyList<ServiceEntry> Dump()
    {
        if (_holding)
        {
            Interlocked.Increment(ref _waiting);
            try
            {
                // Bounded: a test that forgets to release fails instead of hanging the engine's pool thread.
                _gate.Wait(TimeSpan.FromSeconds(60));
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
        }
        return Inner.Dump();
    }

    public void Apply(ReadOnlySpan<IpvsEdit> edits, Span<IpvsEditResult> results) => Inner.Apply(edits, results);
}
