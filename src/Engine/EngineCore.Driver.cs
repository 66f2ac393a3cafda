namespace Ipvs.Engine;

internal sealed partial class EngineCore
{
    /// <summary>The longest the driver sleeps with nothing due (it then just looks again).</summary>
    private static readonly long MaxSleep = TimeSpan.FromSeconds(1).Ticks;

    private readonly AutoResetEvent _wake = new(false);
    private Thread? _driver;
    private int _driverThreadId;
    private long _plannedWake = long.MaxValue;
    private bool _kicked;

    /// <summary>
    /// On the system clock the loop runs on a thread of its own that sleeps until the next tick with something due
    /// (or a kernel pass, or a kick), like keepalived's scheduler: no periodic timer, no thread-pool hop per pass,
    /// no wake-ups while nothing is due. On any other clock (tests in virtual time) a periodic timer of that clock
    /// drives the passes, one per tick.
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
        var driver = new Thread(Drive) { IsBackground = true, Name = "ipvs-engine" };
        _driver = driver;
        driver.Start();
    }

    /// <summary>Called with the lock held once <see cref="_running"/> is false.</summary>
    private void StopDriver(bool join)
    {
        var driver = _driver;
        if (driver is null)
        {
            return;
        }
        _driver = null;
        _wake.Set();
        if (join && Environment.CurrentManagedThreadId != driver.ManagedThreadId)
        {
            driver.Join(TimeSpan.FromSeconds(2));
        }
    }

    private void Drive()
    {
        _driverThreadId = Environment.CurrentManagedThreadId;
        var self = Thread.CurrentThread;
        while (true)
        {
            int sleepMs;
            lock (_lock)
            {
                if (!_running || !ReferenceEquals(_driver, self))
                {
                    return;
                }
                _kicked = false;
                Pass(fromTimer: true);
                sleepMs = PlanSleep();
            }
            if (sleepMs > 0)
            {
                _wake.WaitOne(sleepMs);
            }
        }
    }

    /// <summary>When the next pass is needed: the first tick with something due, a kernel read, the gate, or work left.</summary>
    private int PlanSleep()
    {
        var tick = _wheel.TickLength;
        var next = _wheel.NextFireTime((int)(MaxSleep / tick));
        if (!_completions.IsEmpty || _pendingRead is { IsDone: true })
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
        if (_pendingRead is null)
        {
            next = Math.Min(next, _nextFullRead);
        }
        if (_rereadRequested && _pendingRead is null)
        {
            next = Math.Min(next, _lastReadAt + RereadFloor);
        }
        next = Math.Min(next, _now + MaxSleep);
        _plannedWake = next;
        _wheel.ResetEarliest();
        var wait = next - Now();
        return wait <= 0 ? 0 : (int)((wait + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond);
    }

    /// <summary>
    /// After a pass on another thread (a probe's completion, an admin call, a reload): wakes the driver when that
    /// pass left something it planned without — an earlier due check, a decision for the kernel, a re-read.
    /// Called with the lock held.
    /// </summary>
    private void KickDriverIfNeeded()
    {
        if (_driver is null || _kicked || Environment.CurrentManagedThreadId == _driverThreadId)
        {
            return;
        }
        if (_wheel.EarliestScheduled < _plannedWake || _dirty.Count > 0 || _pendingDeletes.Count > 0 || _rereadRequested || !_completions.IsEmpty)
        {
            _kicked = true;
            _wake.Set();
        }
    }
}
