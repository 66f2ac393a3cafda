using System.Diagnostics;

namespace Ipvs.Checks.Io;

/// <summary>
/// A loop's load and lag, kept by the loop thread itself (two clock reads per pass, both already taken) and read by
/// anyone: time spent working between epoll waits, over windows of <see cref="Window"/>; and the lag, the time from
/// work becoming due on the loop (the first post that woke it, a planned wake-up) to the pass that ran it.
/// </summary>
internal struct LoopLoad
{
    private static readonly long Window = Stopwatch.Frequency * 10;

    private long _passes;
    private long _busy;
    private long _windowStart;
    private long _windowBusy;
    private long _lastLoadPpm;
    private long _lag;
    private long _lagMax;
    private long _lagMaxPrevious;
    private long _postedAt;

    /// <summary>Called by a thread whose post woke the loop.</summary>
    public void Posted(long stamp) => Interlocked.CompareExchange(ref _postedAt, stamp, 0);

    /// <summary>
    /// A pass begins at <paramref name="now"/>, the loop having waited since <paramref name="waitFrom"/> and planned to
    /// wake at <paramref name="plannedMs"/> (Environment.TickCount64, or long.MaxValue when events woke it).
    /// </summary>
    public void PassBegins(long waitFrom, long now, long plannedMs)
    {
        long lag = 0;
        var posted = Interlocked.Exchange(ref _postedAt, 0);
        if (posted != 0 && now > posted)
        {
            lag = now - posted;
        }
        if (plannedMs != long.MaxValue)
        {
            var late = (Environment.TickCount64 - plannedMs) * Stopwatch.Frequency / 1000;
            lag = Math.Max(lag, late);
        }
        if (_windowStart == 0)
        {
            _windowStart = waitFrom;
        }
        Volatile.Write(ref _lag, lag);
        if (lag > _lagMax)
        {
            Volatile.Write(ref _lagMax, lag);
        }
    }

    public void PassEnds(long begun, long now)
    {
        var busy = now - begun;
        Volatile.Write(ref _busy, _busy + busy);
        Volatile.Write(ref _passes, _passes + 1);
        _windowBusy += busy;
        var length = now - _windowStart;
        if (length >= Window)
        {
            Volatile.Write(ref _lastLoadPpm, _windowBusy * 1_000_000 / length);
            Volatile.Write(ref _lagMaxPrevious, _lagMax);
            Volatile.Write(ref _lagMax, 0);
            _windowBusy = 0;
            _windowStart = now;
        }
    }

    public readonly ProbeLoopStats Stats(int index)
    {
        static TimeSpan Span(long stopwatchTicks) => TimeSpan.FromTicks(stopwatchTicks * TimeSpan.TicksPerSecond / Stopwatch.Frequency);
        return new ProbeLoopStats(
            index,
            Volatile.Read(in _passes),
            Span(Volatile.Read(in _busy)),
            Volatile.Read(in _lastLoadPpm) / 1_000_000.0,
            Span(Volatile.Read(in _lag)),
            Span(Math.Max(Volatile.Read(in _lagMax), Volatile.Read(in _lagMaxPrevious))));
    }
}
