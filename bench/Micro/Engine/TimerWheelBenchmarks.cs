using BenchmarkDotNet.Attributes;
using Ipvs.Engine;

namespace Ipvs.Bench.Micro.Engine;

/// <summary>The wheel alone: 10,000 entries each firing once a second and rescheduling at fixed rate.</summary>
[MemoryDiagnoser]
public class TimerWheelBenchmarks
{
    private const int Entries = 10_000;
    private TimerWheel _wheel = null!;
    private long _now;

    private sealed class Entry(TimerWheel wheel) : WheelEntry
    {
        public override void OnDue(long now) => wheel.Schedule(this, DueTime + TimeSpan.TicksPerSecond);
    }

    [GlobalSetup]
    public void Setup()
    {
        _wheel = new TimerWheel(TimeSpan.FromMilliseconds(5));
        for (var i = 0; i < Entries; i++)
        {
            _wheel.Schedule(new Entry(_wheel), i * (TimeSpan.TicksPerSecond / Entries) + 1);
        }
    }

    [Benchmark(OperationsPerInvoke = Entries)]
    public int AdvanceOneSecond()
    {
        var fired = 0;
        for (var t = 0; t < 200; t++)
        {
            _now += TimeSpan.TicksPerMillisecond * 5;
            fired += _wheel.Advance(_now);
        }
        return fired;
    }
}

/// <summary>The rise/fall step alone.</summary>
[MemoryDiagnoser]
public class CheckHealthBenchmarks
{
    private CheckHealth _health = CheckHealth.Adopted(HealthState.Up);
    private int _i;

    [Benchmark]
    public bool Step() => _health.Step((++_i & 3) != 0, 2, 3);
}
