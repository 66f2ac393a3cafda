using System.Threading.Tasks.Sources;
using Ipvs.Checks.Interop;

namespace Ipvs.Checks.Io;

/// <summary>
/// A reusable one-shot readiness wait (its own IValueTaskSource, as Kestrel's SocketAwaitableEventArgs): the result is
/// the epoll event mask, or −ETIMEDOUT at the deadline, or −ECANCELED. A generation number tells a stale event
/// (of an fd closed since) from the current wait. One wait at a time per waiter. A wait is either awaited
/// (<see cref="WaitAsync"/>) or, on the lean path, handed to a callback (<see cref="Wait"/>): no ValueTask source, no
/// continuation, the loop calls the handler directly.
/// </summary>
internal sealed unsafe class ReadinessWaiter : IValueTaskSource<int>, IDisposable
{
    public const int ECANCELED = 125;
    private readonly EpollLoop _loop;
    private readonly int _slot;
    private ManualResetValueTaskSourceCore<int> _core;
    private uint _gen;
    private int _waiting;
    private int _fd = -1;
    private uint _events;
    private IReadinessHandler? _handler;

    public ReadinessWaiter(EpollLoop loop)
    {
        _loop = loop;
        _slot = loop.Register(this);
        _core.RunContinuationsAsynchronously = false;
    }

    public ValueTask<int> WaitAsync(int fd, uint events, bool add, long deadlineMs)
    {
        _core.Reset();
        _handler = null;
        var gen = ++_gen;
        _fd = fd;
        _events = events;
        Volatile.Write(ref _waiting, 1);
        var err = _loop.Arm(this, _slot, gen, fd, events, add, deadlineMs);
        if (err != 0 && Interlocked.Exchange(ref _waiting, 0) == 1)
        {
            return new ValueTask<int>(-err);
        }
        return new ValueTask<int>(this, _core.Version);
    }

    /// <summary>
    /// Arms a wait whose outcome (as <see cref="WaitAsync"/>'s) goes to <paramref name="handler"/>, called once, on
    /// the thread that ends the wait (the loop's, or a canceller's). Returns 0 once armed, else the errno (the handler
    /// is then not called).
    /// </summary>
    public int Wait(int fd, uint events, bool add, long deadlineMs, IReadinessHandler handler)
    {
        _handler = handler;
        var gen = ++_gen;
        _fd = fd;
        _events = events;
        Volatile.Write(ref _waiting, 1);
        var err = _loop.Arm(this, _slot, gen, fd, events, add, deadlineMs);
        if (err != 0 && Interlocked.Exchange(ref _waiting, 0) == 1)
        {
            _handler = null;
            return err;
        }
        return 0;
    }

    public bool IsWaiting(uint gen) => gen == Volatile.Read(ref _gen) && Volatile.Read(ref _waiting) == 1;

    public void OnReady(uint gen, uint events)
    {
        if (gen == Volatile.Read(ref _gen) && Interlocked.Exchange(ref _waiting, 0) == 1)
        {
            Complete((int)events);
        }
    }

    /// <summary>
    /// The deadline passed with no event seen for this wait. The loop may not have looked at every ready fd before
    /// it expires deadlines (it takes a bounded number of epoll batches first, and a long pass delays the next look),
    /// so the fd is asked directly: a ready one completes as ready, and only one that is still not ready times out.
    /// </summary>
    public void OnTimeout(uint gen)
    {
        if (gen != Volatile.Read(ref _gen) || Volatile.Read(ref _waiting) != 1)
        {
            return;
        }
        var ready = ReadyNow();
        if (Interlocked.Exchange(ref _waiting, 0) == 1)
        {
            if (ready != 0)
            {
                _loop.CountReadyAtExpiry();
            }
            Complete(ready != 0 ? (int)ready : -LibC.ETIMEDOUT);
        }
    }

    /// <summary>The fd's readiness now, in epoll bits (poll's bits have the same values on Linux); 0 when none.</summary>
    private uint ReadyNow()
    {
        var p = new LibC.pollfd { fd = _fd, events = (short)(_events & (LibC.EPOLLIN | LibC.EPOLLOUT | LibC.EPOLLRDHUP)) };
        const int PollNval = 0x20; // not an open fd: nothing to report as ready
        return LibC.poll(&p, 1, 0) == 1 && (p.revents & PollNval) == 0 ? (ushort)p.revents : 0u;
    }

    /// <summary>Ends the current wait early (cancellation); the fd stays armed until closed, its event is then stale.</summary>
    public void Cancel()
    {
        if (Interlocked.Exchange(ref _waiting, 0) == 1)
        {
            Complete(-ECANCELED);
        }
    }

    private void Complete(int result)
    {
        if (_handler is { } handler)
        {
            _handler = null;
            handler.OnWaitDone(result);
            return;
        }
        _core.SetResult(result);
    }

    public int GetResult(short token) => _core.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);

    public void Dispose() => _loop.Unregister(_slot);
}
