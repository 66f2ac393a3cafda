namespace Ipvs.Engine.Tests;

public class TimerWheelTests
{
    private const long Ms = TimeSpan.TicksPerMillisecond;

    private sealed class Probe : WheelEntry
    {
        public List<long> Fired { get; } = [];

        public Action<Probe, long>? Then { get; init; }

        public override void OnDue(long now)
        {
            Fired.Add(now);
            Then?.Invoke(this, now);
        }
    }

    [Fact]
    public void Advance_EntryDue_FiresAtItsTickOnly()
    {
        var wheel = new TimerWheel(TimeSpan.FromMilliseconds(5), 8);
        var e = new Probe();
        wheel.Schedule(e, 12 * Ms);
        Assert.Equal(0, wheel.Advance(10 * Ms));
        Assert.Equal(1, wheel.Advance(15 * Ms));
        Assert.Equal([15 * Ms], e.Fired);
        Assert.Equal(0, wheel.Count);
    }

    [Fact]
    public void Advance_EntryBeyondOneRevolution_WaitsForItsRound()
    {
        // 8 buckets × 5 ms = 40 ms per revolution; due at 100 ms shares a bucket with 20 ms and 60 ms.
        var wheel = new TimerWheel(TimeSpan.FromMilliseconds(5), 8);
        var e = new Probe();
        wheel.Schedule(e, 100 * Ms);
        for (long t = 5; t < 100; t += 5)
        {
            Assert.Equal(0, wheel.Advance(t * Ms));
        }
        Assert.Equal(1, wheel.Advance(100 * Ms));
    }

    [Fact]
    public void Advance_DriverLateByManyRevolutions_CatchesUpEveryEntryOnce()
    {
        var wheel = new TimerWheel(TimeSpan.FromMilliseconds(5), 8);
        var entries = Enumerable.Range(1, 50).Select(i => new Probe()).ToArray();
        for (var i = 0; i < entries.Length; i++)
        {
            wheel.Schedule(entries[i], (i + 1) * 7 * Ms);
        }
        Assert.Equal(50, wheel.Advance(10_000 * Ms));
        Assert.All(entries, e => Assert.Single(e.Fired));
    }

    [Fact]
    public void Advance_MissedTicksWithinARevolution_FiresEachAtItsOwnTick()
    {
        var wheel = new TimerWheel(TimeSpan.FromMilliseconds(5), 64);
        var a = new Probe();
        var b = new Probe();
        wheel.Schedule(a, 10 * Ms);
        wheel.Schedule(b, 30 * Ms);
        Assert.Equal(2, wheel.Advance(50 * Ms));
        Assert.Equal([10 * Ms], a.Fired);
        Assert.Equal([30 * Ms], b.Fired);
    }

    [Fact]
    public void Advance_EntryReschedulingItself_RunsAtFixedRate()
    {
        var wheel = new TimerWheel(TimeSpan.FromMilliseconds(5), 64);
        var e = new Probe { Then = (p, _) => wheel.Schedule(p, p.DueTime + 20 * Ms) };
        wheel.Schedule(e, 20 * Ms);
        wheel.Advance(200 * Ms);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => i * 20 * Ms), e.Fired);
    }

    [Fact]
    public void Cancel_ScheduledEntry_NeverFires()
    {
        var wheel = new TimerWheel(TimeSpan.FromMilliseconds(5), 8);
        var a = new Probe();
        var b = new Probe();
        wheel.Schedule(a, 10 * Ms);
        wheel.Schedule(b, 10 * Ms);
        wheel.Cancel(a);
        Assert.Equal(1, wheel.Advance(20 * Ms));
        Assert.Empty(a.Fired);
        Assert.Single(b.Fired);
    }

    [Fact]
    public void Schedule_DueInThePast_FiresAtNextTick()
    {
        var wheel = new TimerWheel(TimeSpan.FromMilliseconds(5), 8);
        wheel.Advance(100 * Ms);
        var e = new Probe();
        wheel.Schedule(e, 50 * Ms);
        Assert.Equal(1, wheel.Advance(105 * Ms));
    }
}
