using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Ipvs.Checks.Interop;

namespace Ipvs.Checks.Io;

/// <summary>
/// One thread, one epoll set, one deadline heap: keepalived's shape. Probes arm a one-shot readiness wait on a
/// non-blocking fd with an absolute deadline; the loop completes the wait inline on its own thread (no thread-pool hop),
/// so the probe's continuation — the next syscall of the check — runs right there. Continuations must not block.
/// </summary>
internal sealed unsafe class EpollLoop : IDisposable
{
    private const int MaxEvents = 256;
    private const ulong WakeData = ulong.MaxValue;
    private static EpollLoop? s_shared;
    [ThreadStatic]
    private static EpollLoop? t_current;

    private readonly int _epfd;
    private readonly int _eventFd;
    private readonly Thread _thread;
    private readonly Lock _slotLock = new();
    private readonly Lock _timerLock = new();
    private readonly PriorityQueue<(ReadinessWaiter Waiter, uint Gen), long> _deadlines = new();
    private readonly List<(ReadinessWaiter Waiter, uint Gen)> _expired = [];
    private ReadinessWaiter?[] _slots = new ReadinessWaiter?[64];
    private readonly Stack<int> _freeSlots = new();
    private int _nextSlot;
    private readonly ConcurrentQueue<IThreadPoolWorkItem> _posted = new();
    private readonly List<IThreadPoolWorkItem> _afterPass = [];
    private int _postPending;
    private long _plannedWake = long.MaxValue;
    private long _staleDeadlinesDropped;
    private long _wakes;
    private long _passStamp;
    private long _readyAtExpiry;
    private bool _inPass;
    private volatile bool _stopping;
    private LoopLoad _load;

    public EpollLoop(string name = "ipvs-checks")
    {
        _epfd = LibC.epoll_create1(LibC.EPOLL_CLOEXEC);
        if (_epfd < 0)
        {
            throw new InvalidOperationException($"epoll_create1 failed: errno {Marshal.GetLastPInvokeError()}");
        }
        _eventFd = LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
        var ev = new LibC.epoll_event { events = LibC.EPOLLIN, data = WakeData };
        if (_eventFd < 0 || LibC.epoll_ctl(_epfd, LibC.EPOLL_CTL_ADD, _eventFd, &ev) != 0)
        {
            throw new InvalidOperationException($"eventfd setup failed: errno {Marshal.GetLastPInvokeError()}");
        }
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>The process-wide loop every probe uses unless given another.</summary>
    public static EpollLoop Shared
    {
        get
        {
            if (s_shared is { } loop)
            {
                return loop;
            }
            var created = new EpollLoop();
            var winner = Interlocked.CompareExchange(ref s_shared, created, null);
            if (winner is not null)
            {
                created.Dispose();
                return winner;
            }
            return created;
        }
    }

    /// <summary>Deadlines waiting in the heap, ended waits not yet dropped included (for tests).</summary>
    internal int PendingDeadlines
    {
        get
        {
            lock (_timerLock)
            {
                return _deadlines.Count;
            }
        }
    }

    /// <summary>Deadlines of waits that had already ended, dropped without waking up for them (for tests).</summary>
    internal long StaleDeadlinesDropped => Interlocked.Read(ref _staleDeadlinesDropped);

    /// <summary>Waits whose deadline passed before the loop saw their fd's event, found ready when asked directly.</summary>
    internal long ReadyAtExpiry => Interlocked.Read(ref _readyAtExpiry);

    internal void CountReadyAtExpiry() => Interlocked.Increment(ref _readyAtExpiry);

    /// <summary>Times another thread wrote the wake eventfd (for tests: an arm the loop would see in time anyway writes none).</summary>
    internal long Wakes => Interlocked.Read(ref _wakes);

    public bool IsLoopThread => Environment.CurrentManagedThreadId == _thread.ManagedThreadId;

    /// <summary>The loop whose thread this is, or null.</summary>
    public static EpollLoop? Current => t_current;

    /// <summary>The public face of this loop, set by <see cref="ProbeLoop"/>.</summary>
    public ProbeLoop? Owner { get; set; }

    public ProbeLoopStats Stats(int index) => _load.Stats(index);

    /// <summary>
    /// A Stopwatch timestamp for latencies. On the loop thread inside a pass it is the pass's own (one clock read per
    /// pass, shared by every start and completion in it: in a VM whose clocksource the vDSO cannot read, such as hpet,
    /// each read is a syscall); elsewhere a fresh read.
    /// </summary>
    public long Timestamp() => _inPass && IsLoopThread ? _passStamp : Stopwatch.GetTimestamp();

    /// <summary>
    /// Runs <paramref name="work"/> on the loop thread, in order, soon (before the loop next sleeps). One wake-up
    /// serves every item posted before the loop gets to them, so a batch of probe starts costs one eventfd write, and
    /// the starts and their completions share the loop's passes instead of waking it once per socket.
    /// </summary>
    public void Post(IThreadPoolWorkItem work)
    {
        _posted.Enqueue(work);
        if (Interlocked.Exchange(ref _postPending, 1) == 0 && !IsLoopThread)
        {
            _load.Posted(Stopwatch.GetTimestamp());
            Wake();
        }
    }

    /// <summary>
    /// On the loop thread: runs <paramref name="work"/> once, after the current pass has dispatched all its events,
    /// expiries and posted work (so a consumer takes a pass's completions in with one call). Elsewhere: posts it.
    /// </summary>
    public void AfterPass(IThreadPoolWorkItem work)
    {
        if (_inPass && IsLoopThread)
        {
            _afterPass.Add(work);
            return;
        }
        Post(work);
    }

    public int Register(ReadinessWaiter waiter)
    {
        lock (_slotLock)
        {
            var slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : _nextSlot++;
            if (slot >= _slots.Length)
            {
                var bigger = new ReadinessWaiter?[_slots.Length * 2];
                _slots.CopyTo(bigger, 0);
                Volatile.Write(ref _slots, bigger);
            }
            Volatile.Write(ref _slots[slot], waiter);
            return slot;
        }
    }

    public void Unregister(int slot)
    {
        lock (_slotLock)
        {
            Volatile.Write(ref _slots[slot], null);
            _freeSlots.Push(slot);
        }
    }

    /// <summary>
    /// Arms a one-shot wait for <paramref name="events"/> on <paramref name="fd"/>. Returns 0 or an errno. The fd is in
    /// the epoll set before its deadline is queued, and the deadline is never earlier than just after that: a wait is
    /// only called a timeout once an epoll pass that began after its deadline has seen the fd not ready (see
    /// <see cref="Run"/>), even when the arming thread was starved past the deadline before it got here.
    /// </summary>
    public int Arm(ReadinessWaiter waiter, int slot, uint gen, int fd, uint events, bool add, long deadlineMs)
    {
        var ev = new LibC.epoll_event { events = events | LibC.EPOLLONESHOT, data = ((ulong)gen << 32) | (uint)slot };
        if (LibC.epoll_ctl(_epfd, add ? LibC.EPOLL_CTL_ADD : LibC.EPOLL_CTL_MOD, fd, &ev) != 0)
        {
            return Marshal.GetLastPInvokeError();
        }
        // An event may already have completed this wait; its queued deadline is then stale (IsWaiting is false).
        var due = Math.Max(deadlineMs, Environment.TickCount64 + 1);
        bool wake;
        lock (_timerLock)
        {
            _deadlines.Enqueue((waiter, gen), due);
            wake = due < _plannedWake;
        }
        if (wake && !IsLoopThread)
        {
            Wake();
        }
        return 0;
    }

    private void Wake()
    {
        Interlocked.Increment(ref _wakes);
        ulong one = 1;
        _ = LibC.write(_eventFd, (byte*)&one, sizeof(ulong));
    }

    private void Run()
    {
        t_current = this;
        var events = (LibC.epoll_event*)NativeMemory.Alloc(MaxEvents, (nuint)sizeof(LibC.epoll_event));
        var fullBatches = 0;
        var passEnd = Stopwatch.GetTimestamp();
        try
        {
            while (!_stopping)
            {
                var timeout = fullBatches > 0 || !_posted.IsEmpty ? 0 : NextTimeout();
                // Deadlines up to this moment are expired after the pass below, and no later ones: a deadline that
                // passes while this thread is off the CPU (after epoll_wait returned) gets one more epoll pass, so a
                // socket that became ready meanwhile is seen as ready rather than reported as a timeout.
                var polledAt = Environment.TickCount64;
                var planned = timeout > 0 ? polledAt + timeout : long.MaxValue;
                var n = LibC.epoll_wait(_epfd, events, MaxEvents, timeout);
                _passStamp = Stopwatch.GetTimestamp();
                _load.PassBegins(passEnd, _passStamp, n == 0 ? planned : long.MaxValue);
                _inPass = true;
                for (var i = 0; i < n; i++)
                {
                    var data = events[i].data;
                    if (data == WakeData)
                    {
                        ulong value;
                        _ = LibC.read(_eventFd, (byte*)&value, sizeof(ulong));
                        continue;
                    }
                    var waiter = Volatile.Read(ref _slots)[(int)(uint)data];
                    waiter?.OnReady((uint)(data >> 32), events[i].events);
                }
                // A full batch may leave ready sockets unread: take them in before expiring anyone, so a server that
                // answered in time is never reported as a timeout (bounded, so deadlines still fire under a flood).
                if (n < MaxEvents || ++fullBatches >= 4)
                {
                    fullBatches = 0;
                    ExpireDeadlines(polledAt);
                }
                RunPosted();
                RunAfterPass();
                _inPass = false;
                passEnd = Stopwatch.GetTimestamp();
                _load.PassEnds(_passStamp, passEnd);
            }
        }
        finally
        {
            NativeMemory.Free(events);
        }
    }

    /// <summary>Runs the work posted so far (work posted by these items waits for the next pass: bounded).</summary>
    private void RunPosted()
    {
        Volatile.Write(ref _postPending, 0);
        for (var left = _posted.Count; left > 0 && _posted.TryDequeue(out var work); left--)
        {
            RunItem(work);
        }
    }

    private void RunAfterPass()
    {
        // Items may add more (a consumer's pass that completes a probe synchronously): run until none are left.
        for (var i = 0; i < _afterPass.Count; i++)
        {
            RunItem(_afterPass[i]);
        }
        _afterPass.Clear();
    }

    private static void RunItem(IThreadPoolWorkItem work)
    {
        try
        {
            work.Execute();
        }
        catch (Exception e)
        {
            // The loop must outlive a faulty work item: every probe depends on it.
            Trace.TraceError("probe loop: posted work failed: " + e);
        }
    }

    private int NextTimeout()
    {
        lock (_timerLock)
        {
            // Most waits end long before their deadline (a loopback connect takes microseconds): drop those entries
            // here instead of waking up at each of them just to find nothing to expire.
            long first;
            while (true)
            {
                if (!_deadlines.TryPeek(out var entry, out first))
                {
                    // The loop looks again within a second anyway: a deadline later than that needs no wake-up.
                    _plannedWake = Environment.TickCount64 + 1000;
                    return 1000;
                }
                if (entry.Waiter.IsWaiting(entry.Gen))
                {
                    break;
                }
                _deadlines.Dequeue();
                Interlocked.Increment(ref _staleDeadlinesDropped);
            }
            var now = Environment.TickCount64;
            var wait = Math.Clamp(first - now, 0, 1000);
            _plannedWake = now + wait;
            return (int)wait;
        }
    }

    /// <summary>Times out the waits whose deadline had passed when the last epoll pass began (<paramref name="polledAt"/>).</summary>
    private void ExpireDeadlines(long polledAt)
    {
        lock (_timerLock)
        {
            while (_deadlines.TryPeek(out var entry, out var due) && due <= polledAt)
            {
                _deadlines.Dequeue();
                if (entry.Waiter.IsWaiting(entry.Gen))
                {
                    _expired.Add(entry);
                }
            }
        }
        // Completed outside the lock: continuations run inline and arm new waits.
        foreach (var (waiter, gen) in _expired)
        {
            waiter.OnTimeout(gen);
        }
        _expired.Clear();
    }

    public void Dispose()
    {
        _stopping = true;
        if (_thread.IsAlive && !IsLoopThread)
        {
            Wake();
            _thread.Join(2000);
        }
        _ = LibC.close(_eventFd);
        _ = LibC.close(_epfd);
    }
}
