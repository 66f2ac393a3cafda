using Ipvs.Checks.Io;

namespace Ipvs.Engine;

internal sealed partial class EngineCore : ILoopTicker
{
    /// <summary>The longest the driver sleeps with nothing due (it then just looks again).</summary>
    private static readonly long MaxSleep = TimeSpan.FromSeconds(1).Ticks;

    private EpollLoop? _driver;
    private long _plannedWake = long.MaxValue;
    private bool _kicked;

    /// <summary>
    /// On the system clock the loop runs on the probes' own I/O thread (keepalived's shape: one thread for timers,
    /// sockets and decisions): a pass runs when the next tick with something due comes (or a kernel pass, or a
    /// kick), so there is no periodic timer, no thread-pool hop, no wake-up while nothing is due, and a probe
    /// started in a pass whose socket is ready at once completes in the same wake-up. On any other clock (tests in
    /// virtual time) a periodic timer of that clock drives the passes, one per tick.
    /// </summary>
    private void StartDriver()
    {
        if (!ReferenceEquals(_time, TimeProvider.System))
        {
            var tick = TimeSpan.FromTicks(_wheel.TickLength);
            _timer = _time.CreateTimer(static s => ((EngineCore)s!).Pump(), this, tick, tick);
            return;
        }
        _plannedWake = long.MaxValue;
        _driver = EpollLoop.Shared;
        _driver.AddTicker(this);
    }

    /// <summary>Called with the lock held once <see cref="_running"/> is false.</summary>
    private void StopDriver()
    {
        _driver?.RemoveTicker(this);
        _driver = null;
    }

    long ILoopTicker.OnTick(long nowMs)
    {
        lock (_lock)
        {
            if (!_running || _driver is null)
            {
                return long.MaxValue;
            }
            _kicked = false;
            Pass(fromTimer: true);
            return nowMs + PlanSleep();
        }
    }

    /// <summary>Milliseconds until the next pass is needed: the first tick with something due, a kernel read, the gate, or work left.</summary>
    private long PlanSleep()
    {
        var tick = _wheel.TickLength;
        var next = _wheel.NextFireTime((int)(MaxSleep / tick));
        if (!_completions.IsEmpty)
        {
            next = _now;
        }
        else if (_dirty.Count > 0 || _pendingDeletes.Count > 0)
        {
            // A failed batch left work behind: retry at the next tick, as a periodic loop would.
            next = Math.Min(next, _now + tick);
        }
        if (!_ready)
        {
            next = Math.Min(next, _gateAt);
        }
        next = Math.Min(next, _nextFullRead);
        if (_rereadRequested)
        {
            next = Math.Min(next, _lastReadAt + RereadFloor);
        }
        next = Math.Min(next, _now + MaxSleep);
        _plannedWake = next;
        _wheel.ResetEarliest();
        var wait = next - Now();
        return wait <= 0 ? 0 : (wait + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond;
    }

    /// <summary>
    /// After a pass outside the driver's own turn (a result taken in as it arrived, an admin call, a reload): brings
    /// the driver's turn forward when that pass left something it planned without — an earlier due check, a
    /// decision for the kernel, a re-read. On the loop's thread that is a note (the turn runs once this round of
    /// events is handled, so decisions made together go out in one batch); from another thread, a wake-up.
    /// Called with the lock held.
    /// </summary>
    private void KickDriverIfNeeded()
    {
        if (_driver is not { } driver || _kicked)
        {
            return;
        }
        if (_wheel.EarliestScheduled < _plannedWake || _dirty.Count > 0 || _pendingDeletes.Count > 0 || _rereadRequested || !_completions.IsEmpty)
        {
            _kicked = true;
            driver.WakeTicker(this, 0);
        }
    }

    /// <summary>A result came in while someone else held the lock: the driver takes it in at its next turn.</summary>
    private void WakeDriverForCompletions() => _driver?.WakeTicker(this, 0);
}
