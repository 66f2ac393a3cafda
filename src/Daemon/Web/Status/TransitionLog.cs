namespace Ipvs.Daemon.Web.Status;

/// <summary>
/// The last few transitions for the status page, in a fixed ring (bounded memory whatever the flap rate).
/// Fed by the engine's transition events; read by <c>GET /api/v1/status</c>.
/// </summary>
public sealed class TransitionLog
{
    private readonly TransitionEntry?[] _ring;
    private readonly Lock _lock = new();
    private int _next;
    private int _count;

    public TransitionLog(int capacity = 50)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new TransitionEntry?[capacity];
    }

    public void Record(TransitionEntry entry)
    {
        lock (_lock)
        {
            _ring[_next] = entry;
            _next = (_next + 1) % _ring.Length;
            if (_count < _ring.Length)
            {
                _count++;
            }
        }
    }

    /// <summary>Newest first.</summary>
    public IReadOnlyList<TransitionEntry> Recent()
    {
        lock (_lock)
        {
            var result = new TransitionEntry[_count];
            for (var i = 0; i < _count; i++)
            {
                var index = (_next - 1 - i + _ring.Length) % _ring.Length;
                result[i] = _ring[index]!;
            }
            return result;
        }
    }
}
