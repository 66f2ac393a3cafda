using System.Threading.Tasks.Sources;
using Ipvs.Checks.Interop;

namespace Ipvs.Checks.Io;

/// <summary>
/// A reusable one-shot readiness wait (its own IValueTaskSource, as Kestrel's SocketAwaitableEventArgs): the result is
/// the epoll event mask, or −ETIMEDOUT at the deadline, or −ECANCELED. A generation number tells a stale event
/// (of an fd closed since) from the current wait. One wait at a time per waiter.
/// </summary>
internal sealed class ReadinessWaiter : IValueTaskSource<int>, IDisposable
{
    public const int ECANCELED = 125;
    private readonly EpollLoop _loop;
    private readonly int _slot;
    private ManualResetValueTaskSourceCore<int> _core;
    private uint _gen;
    private int _waiting;

    public ReadinessWaiter(EpollLoop loop)
    {
        _loop = loop;
        _slot = loop.Register(this);
        _core.RunContinuationsAsynchronously = false;
    }

    public ValueTask<int> WaitAsync(int fd, uint events, bool add, long deadlineMs)
    {
        _core.Reset();
        var gen = ++_gen;
        Volatile.Write(ref _waiting, 1);
        var err = _loop.Arm(this, _slot, gen, fd, events, add, deadlineMs);
        if (err != 0 && Interlocked.Exchange(ref _waiting, 0) == 1)
        {
            return new ValueTask<int>(-err);
        }
        return new ValueTask<int>(this, _core.Version);
    }

    public bool IsWaiting(uint gen) => gen == Volatile.Read(ref _gen) && Volatile.Read(ref _waiting) == 1;

    public void OnReady(uint gen, uint events)
    {
        if (gen == Volatile.Read(ref _gen) && Interlocked.Exchange(ref _waiting, 0) == 1)
        {
            _core.SetResult((int)events);
        }
    }

    public void OnTimeout(uint gen)
    {
        if (gen == Volatile.Read(ref _gen) && Interlocked.Exchange(ref _waiting, 0) == 1)
        {
            _core.SetResult(-LibC.ETIMEDOUT);
        }
    }

    /// <summary>Ends the current wait early (cancellation); the fd stays armed until closed, its event is then stale.</summary>
    public void Cancel()
    {
        if (Interlocked.Exchange(ref _waiting, 0) == 1)
        {
            _core.SetResult(-ECANCELED);
        }
    }

    public int GetResult(short token) => _core.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);

    public void Dispose() => _loop.Unregister(_slot);
}
