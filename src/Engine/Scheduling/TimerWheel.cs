namespace Ipvs.Engine;

/// <summary>
/// A hashed timer wheel (after DotNetty's and Akka.NET's): power-of-two buckets of one tick each, indexed by
/// mask; an entry due later than one revolution stays in its bucket and is skipped until its round comes
/// (its absolute due time says when). Schedule and cancel are O(1); <see cref="Advance"/> visits only the
/// buckets of the ticks that passed, so the work per tick is the entries due in it (plus any parked for later
/// rounds), never all entries.
/// </summary>
/// <remarks>
/// Not thread-safe by design: it has one owner (the engine loop), other threads reach it through the loop's
/// queue. <see cref="Advance"/> is pure with respect to time — it reads no clock — so tests drive it directly.
/// </remarks>
internal sealed class TimerWheel
{
    private readonly WheelEntry?[] _buckets;
    private readonly int _mask;
    private readonly long _tick;
    private long _currentTick;
    private int _count;
    private long _earliest = long.MaxValue;

    public TimerWheel(TimeSpan tick, int buckets = 4096)
    {
        if (tick <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(tick), tick, "a tick is longer than zero");
        }
        if (buckets < 2 || (buckets & (buckets - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(buckets), buckets, "buckets must be a power of two");
        }
        _buckets = new WheelEntry?[buckets];
        _mask = buckets - 1;
        _tick = tick.Ticks;
    }

    /// <summary>Length of one tick in engine ticks (100 ns).</summary>
    public long TickLength => _tick;

    /// <summary>Entries scheduled now.</summary>
    public int Count => _count;

    /// <summary>The time up to which the wheel has fired everything.</summary>
    public long Now => _currentTick * _tick;

    /// <summary>
    /// Schedules <paramref name="entry"/> at <paramref name="dueTime"/> (rounded up to a tick). A due time that
    /// has already passed fires at the next tick. Rescheduling a scheduled entry moves it.
    /// </summary>
    public void Schedule(WheelEntry entry, long dueTime)
    {
        if (entry.IsScheduled)
        {
            Cancel(entry);
        }
        var tick = (dueTime + _tick - 1) / _tick;
        if (tick <= _currentTick)
        {
            tick = _currentTick + 1;
        }
        entry.DueTime = dueTime;
        if (tick * _tick < _earliest)
        {
            _earliest = tick * _tick;
        }
        var b = (int)(tick & _mask);
        var head = _buckets[b];
        entry.WheelNext = head;
        entry.WheelPrev = null;
        if (head is not null)
        {
            head.WheelPrev = entry;
        }
        _buckets[b] = entry;
        entry.WheelBucket = b;
        _count++;
    }

    /// <summary>The earliest firing time (a tick boundary) of the entries scheduled since <see cref="ResetEarliest"/>.</summary>
    public long EarliestScheduled => _earliest;

    public void ResetEarliest() => _earliest = long.MaxValue;

    /// <summary>
    /// When <see cref="Advance"/> may next fire something: the start of the first non-empty tick within
    /// <paramref name="horizonTicks"/> ticks (a lower bound: an entry parked for a later round fires nothing then),
    /// or <see cref="long.MaxValue"/> when there is none. Looks at buckets, not entries.
    /// </summary>
    public long NextFireTime(int horizonTicks)
    {
        if (_count == 0)
        {
            return long.MaxValue;
        }
        var limit = Math.Min(horizonTicks, _buckets.Length);
        for (var i = 1; i <= limit; i++)
        {
            var tick = _currentTick + i;
            if (_buckets[(int)(tick & _mask)] is not null)
            {
                return tick * _tick;
            }
        }
        return long.MaxValue;
    }

    public void Cancel(WheelEntry entry)
    {
        if (!entry.IsScheduled)
        {
            return;
        }
        if (entry.WheelPrev is null)
        {
            _buckets[entry.WheelBucket] = entry.WheelNext;
        }
        else
        {
            entry.WheelPrev.WheelNext = entry.WheelNext;
        }
        if (entry.WheelNext is not null)
        {
            entry.WheelNext.WheelPrev = entry.WheelPrev;
        }
        entry.WheelNext = entry.WheelPrev = null;
        entry.WheelBucket = -1;
        _count--;
    }

    /// <summary>
    /// Fires every entry due at or before <paramref name="now"/>, tick by tick from the last call, catching up on
    /// every tick missed (a late driver loses no entry). Entries scheduled while firing land in a later tick.
    /// Returns the number of entries fired.
    /// </summary>
    public int Advance(long now)
    {
        var target = now / _tick;
        var fired = 0;
        if (target - _currentTick > _buckets.Length)
        {
            // Behind by more than a revolution: every bucket is due once; visiting each once is enough because
            // each entry's absolute due time says whether it is due.
            var last = _currentTick;
            _currentTick = target;
            for (var i = 1; i <= _buckets.Length; i++)
            {
                fired += FireBucket((int)((last + i) & _mask), now);
            }
            return fired;
        }
        while (_currentTick < target)
        {
            _currentTick++;
            fired += FireBucket((int)(_currentTick & _mask), _currentTick * _tick);
        }
        return fired;
    }

    private int FireBucket(int b, long upTo)
    {
        var fired = 0;
        var e = _buckets[b];
        while (e is not null)
        {
            var next = e.WheelNext;
            // An entry parked for a later round, or one that was put back into this bucket while firing,
            // waits for its own tick.
            if (e.DueTime <= upTo)
            {
                Cancel(e);
                fired++;
                e.OnDue(upTo);
            }
            e = next;
        }
        return fired;
    }
}
